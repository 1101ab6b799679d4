//! The library's integration tests, one binary: a module per capability (each linking the
//! whole dependency tree once instead of once per file). The command line's tests are in
//! `cli/tests/`.

mod common;

mod allocations;
mod analysis;
mod catalogue;
mod checklist;
mod codebook_ddi;
mod definition_checks;
mod edit_checks;
mod fidelity;
mod fhir;
mod fhir_cases;
mod fhir_renderer;
mod fhir_semantics;
mod hostile;
mod hostile_grown;
mod instance_rules;
mod json_schema;
mod layers;
mod loading;
mod messages;
mod mhlw_scenarios;
mod mhlw_survey;
mod numbers;
mod properties;
mod readme_answers;
mod repeats;
mod rules;
mod skip_logic;
mod tabular;
mod ui_schema;
mod yaml_core;
