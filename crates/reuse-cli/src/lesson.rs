//! `reuse-cli lesson [ID | FILE.json]`: a lesson's steps with the engine's
//! answer to each question, the moments the player stops at and the
//! explanation with the run's figures, so a teacher can check a lesson
//! file they edited before opening it in the app. Without an argument, the
//! built-in lessons.

use reuse_sim::lesson::{builtin, builtin_titles, Lesson, LessonError, Step};
use reuse_sim::{Protocol, RunResult};

use crate::CliError;

pub fn lesson_command(source: Option<String>) -> Result<String, CliError> {
    let Some(source) = source else {
        let mut out = String::from("Built-in lessons (open one in the app with ?lesson=ID):\n");
        for (id, title) in builtin_titles() {
            out.push_str(&format!("  {id:<20} {title}\n"));
        }
        return Ok(out);
    };
    let lesson = match builtin(&source) {
        Some(lesson) => lesson,
        None => {
            let text = std::fs::read_to_string(&source).map_err(|e| {
                let ids: Vec<String> = builtin_titles().into_iter().map(|(id, _)| id).collect();
                CliError::input(
                    "lesson",
                    format!("{source}: {e} (not a file, nor a built-in lesson: {})", ids.join(", ")),
                )
            })?;
            Lesson::from_json(&text).map_err(|e| CliError::input(format!("lesson.{}", e.field), e.reason))?
        }
    };
    let mut out = format!("{} ({})\n", lesson.title, lesson.id);
    if !lesson.summary.is_empty() {
        out.push_str(&format!("{}\n", lesson.summary));
    }
    for (i, step) in lesson.steps.iter().enumerate() {
        let at = |e: LessonError| CliError::input(format!("lesson.steps[{i}].{}", e.field), e.reason);
        let (scenario, outputs) = step.simulate().map_err(at)?;
        let runs: Vec<(Protocol, &RunResult)> = outputs.iter().map(|(p, o)| (*p, &o.result)).collect();
        let truth = step.truth(&scenario, &runs).map_err(at)?;
        out.push_str(&format!("\nStep {} of {}  {}\n", i + 1, lesson.steps.len(), step.link));
        out.push_str(&format!("  Question  {}\n", step.question));
        out.push_str(&format!("  Answer    {}\n", truth.says(scenario.network.rtt_ms)));
        for pause in &step.pause_at {
            let times: Vec<String> = outputs
                .iter()
                .filter_map(|(p, o)| {
                    let first = pause.first_in(&o.trace)?;
                    Some(format!("{} at {}", p.label(), first.time))
                })
                .collect();
            out.push_str(&format!("  Pause     when {}: {}\n", pause.label(), times.join(", ")));
        }
        out.push_str(&format!("  Explain   {}\n", Step::fill(&step.explain, &scenario, &runs).map_err(at)?));
    }
    Ok(out)
}
