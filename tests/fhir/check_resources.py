"""Structural validation of the exported FHIR resources with fhir.resources (pydantic models
of the FHIR specification): each file named on the command line is a Questionnaire or a
QuestionnaireResponse, and `r4` / `r5` in its name says which release's models check it
(R4 files are checked by the R4B models, the R4 revision fhir.resources carries).

The models check structure and data types, not the codes of required bindings; the
invariants below add what the models leave out: item types and enableWhen operators from the
release's value sets, unique linkIds, que-1 (a group has items, a display item none), que-6
(a display item is neither required nor repeating) and que-12 (enableBehavior with several
enableWhen).

Exit status 1, with every error, when any file does not validate.
"""

import json
import sys

from fhir.resources.questionnaire import Questionnaire as Questionnaire5
from fhir.resources.questionnaireresponse import QuestionnaireResponse as Response5
from fhir.resources.R4B.questionnaire import Questionnaire as Questionnaire4
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse as Response4

MODELS = {
    ("r4", "Questionnaire"): Questionnaire4,
    ("r4", "QuestionnaireResponse"): Response4,
    ("r5", "Questionnaire"): Questionnaire5,
    ("r5", "QuestionnaireResponse"): Response5,
}


ITEM_TYPES = {
    "r4": {"group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time",
           "string", "text", "url", "choice", "open-choice", "attachment", "reference",
           "quantity"},
    "r5": {"group", "display", "question", "boolean", "decimal", "integer", "date",
           "dateTime", "time", "string", "text", "url", "coding", "attachment", "reference",
           "quantity"},
}
OPERATORS = {"exists", "=", "!=", ">", "<", ">=", "<="}


def invariants(release, resource):
    """The broken invariants of a Questionnaire, as messages."""
    errors = []
    seen = set()

    def walk(items, at):
        for i, item in enumerate(items):
            here = f"{at}.item[{i}]"
            link = item.get("linkId")
            if link in seen:
                errors.append(f"{here}: linkId {link!r} appears twice")
            seen.add(link)
            kind = item.get("type")
            if kind not in ITEM_TYPES[release]:
                errors.append(f"{here}: type {kind!r} is not an {release} item type")
            children = item.get("item", [])
            if kind == "group" and not children:
                errors.append(f"{here}: que-1: a group without items")
            if kind == "display" and (children or item.get("required") or item.get("repeats")):
                errors.append(f"{here}: que-1/que-6: a display item with items, required or repeats")
            conditions = item.get("enableWhen", [])
            for j, condition in enumerate(conditions):
                if condition.get("operator") not in OPERATORS:
                    errors.append(f"{here}.enableWhen[{j}]: operator {condition.get('operator')!r}")
                if condition.get("question") not in seen:
                    errors.append(f"{here}.enableWhen[{j}]: question {condition.get('question')!r} is not an earlier item")
            if len(conditions) > 1 and item.get("enableBehavior") not in ("all", "any"):
                errors.append(f"{here}: que-12: several enableWhen without enableBehavior")
            walk(children, here)

    if resource.get("status") not in ("draft", "active", "retired", "unknown"):
        errors.append(f"status {resource.get('status')!r}")
    walk(resource.get("item", []), "Questionnaire")
    return errors


def main(paths):
    failed = 0
    for path in paths:
        release = "r5" if "r5" in path.rsplit("/", 1)[-1] else "r4"
        with open(path, encoding="utf-8") as f:
            text = f.read()
        kind = json.loads(text)["resourceType"]
        try:
            MODELS[(release, kind)].model_validate_json(text)
            errors = invariants(release, json.loads(text)) if kind == "Questionnaire" else []
            if errors:
                raise ValueError("\n".join(errors))
            print(f"ok {release} {kind} {path}")
        except Exception as error:  # pydantic's ValidationError lists every field
            failed += 1
            print(f"FAILED {release} {kind} {path}\n{error}")
    if not paths:
        print("no files given")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
