//! Loads a survey file and prints its problems, or its question ids.
fn main() {
    let path = std::env::args().nth(1).expect("usage: check SURVEY");
    match survey_schema::Survey::from_path(&path) {
        Ok(survey) => println!("{}", survey.question_ids().collect::<Vec<_>>().join(" ")),
        Err(e) => println!("{e}"),
    }
}
