//! Answer sets streamed from files and `.jsonl` batches: read once, in blocks, worked on by
//! several threads and handed back in input order, with memory bounded by the blocks in
//! flight (not by the input) and a progress bar on a terminal.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, IsTerminal, Read};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use survey_schema::{Format, Limits, Survey, parse_answers};

use super::Fatal;

/// One answer set as read: its row id (the file, or `FILE:LINE` in a batch) and its JSON
/// (YAML files and `QuestionnaireResponse`s are turned into answer-set JSON first; the bytes of
/// a batch line are checked as text where they are parsed).
pub(crate) struct AnswerText {
    pub(crate) row_id: String,
    pub(crate) json: Result<Vec<u8>, String>,
}

/// A block of answer sets, and its place in the input.
type Block = (usize, Vec<AnswerText>);

/// Lines per block: big enough that threads rarely wait on each other, small enough that
/// the blocks in flight stay a few megabytes.
const BLOCK_LINES: usize = 512;

/// Reads every answer set of `inputs` once, runs `work` on each block of them on `jobs`
/// threads, and hands each block's result to `sink` in input order. An input that cannot be
/// opened or read stops the stream with that error.
pub(crate) fn each_block<T: Send>(
    survey: &Survey,
    inputs: &[PathBuf],
    jobs: usize,
    work: impl Fn(&[AnswerText]) -> T + Sync,
    mut sink: impl FnMut(T) -> Result<(), Fatal>,
) -> Result<(), Fatal> {
    let total: u64 = inputs
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let read_bytes = AtomicU64::new(0);
    let jobs = jobs.max(1);
    std::thread::scope(|scope| {
        let (blocks_in, blocks_out) = sync_channel::<Block>(jobs * 2);
        let (results_in, results_out) = sync_channel::<(usize, T)>(jobs * 2);
        let reader = scope.spawn(|| read_all(survey, inputs, &read_bytes, blocks_in));
        let blocks_out = Arc::new(Mutex::new(blocks_out));
        for _ in 0..jobs {
            let blocks_out = Arc::clone(&blocks_out);
            let results_in = results_in.clone();
            let work = &work;
            scope.spawn(move || {
                while let Some((place, block)) = next(&blocks_out) {
                    if results_in.send((place, work(&block))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(results_in);
        let mut progress = Progress::new(total);
        let mut waiting = BTreeMap::new();
        let mut expected = 0;
        for (place, result) in results_out {
            waiting.insert(place, result);
            while let Some(result) = waiting.remove(&expected) {
                sink(result)?;
                expected += 1;
            }
            progress.show(read_bytes.load(Ordering::Relaxed));
        }
        progress.clear();
        reader
            .join()
            .unwrap_or_else(|_| Err(Fatal("the reader stopped".into())))
    })
}

fn next(blocks: &Mutex<Receiver<Block>>) -> Option<Block> {
    blocks.lock().ok()?.recv().ok()
}

/// Reads the inputs in order into blocks; stops early when no one takes them any more.
#[allow(
    clippy::needless_pass_by_value,
    reason = "the sender is dropped on return, which closes the channel and ends the workers"
)]
fn read_all(
    survey: &Survey,
    inputs: &[PathBuf],
    read_bytes: &AtomicU64,
    blocks: std::sync::mpsc::SyncSender<Block>,
) -> Result<(), Fatal> {
    let mut place = 0;
    let mut block = Vec::with_capacity(BLOCK_LINES);
    let mut send = |block: &mut Vec<AnswerText>, force: bool| -> bool {
        if block.is_empty() || (!force && block.len() < BLOCK_LINES) {
            return true;
        }
        let full = std::mem::replace(block, Vec::with_capacity(BLOCK_LINES));
        place += 1;
        blocks.send((place - 1, full)).is_ok()
    };
    for input in inputs {
        let name = input.display().to_string();
        let cannot = |e: std::io::Error| Fatal(format!("cannot read {name}: {e}"));
        let is_batch = input
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("jsonl"));
        if !is_batch {
            let text = survey_schema::read_text(input, &Limits::default())
                .map_err(|e| Fatal(e.to_string()))?;
            read_bytes.fetch_add(text.len() as u64, Ordering::Relaxed);
            let format = Format::from_path(input).unwrap_or(Format::Json);
            block.push(AnswerText {
                json: as_json(survey, text.into_bytes(), format),
                row_id: name,
            });
            if !send(&mut block, false) {
                return Ok(());
            }
            continue;
        }
        let file = std::fs::File::open(input).map_err(cannot)?;
        let limit = Limits::default().max_input_bytes as u64;
        let mut lines = BufReader::with_capacity(1 << 20, file);
        let mut number = 0;
        loop {
            let mut line = Vec::new();
            // A line longer than one answer set may be is read no further than the limit.
            let read = (&mut lines)
                .take(limit + 1)
                .read_until(b'\n', &mut line)
                .map_err(cannot)?;
            if read == 0 {
                break;
            }
            number += 1;
            read_bytes.fetch_add(read as u64, Ordering::Relaxed);
            let row_id = format!("{name}:{number}");
            if line.len() as u64 > limit {
                // Skip the rest of the long line.
                let mut rest = Vec::new();
                while !line.ends_with(b"\n") {
                    rest.clear();
                    let more = (&mut lines)
                        .take(limit)
                        .read_until(b'\n', &mut rest)
                        .map_err(cannot)?;
                    if more == 0 {
                        break;
                    }
                    read_bytes.fetch_add(more as u64, Ordering::Relaxed);
                    line.clear();
                    line.extend_from_slice(&rest);
                }
                block.push(AnswerText {
                    row_id,
                    json: Err(format!("the line is longer than {limit} bytes")),
                });
            } else {
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let json = as_json(survey, line, Format::Json);
                block.push(AnswerText { row_id, json });
            }
            if !send(&mut block, false) {
                return Ok(());
            }
        }
    }
    send(&mut block, true);
    Ok(())
}

/// An answer set as answer-set JSON: JSON as it is (read by the workers), YAML and
/// `QuestionnaireResponse`s read here and written as JSON.
fn as_json(survey: &Survey, bytes: Vec<u8>, format: Format) -> Result<Vec<u8>, String> {
    static RESPONSE: std::sync::LazyLock<Option<regex::bytes::Regex>> =
        std::sync::LazyLock::new(|| regex::bytes::Regex::new("\"QuestionnaireResponse\"").ok());
    let response = RESPONSE.as_ref().is_none_or(|r| r.is_match(&bytes));
    if format == Format::Json && !response {
        return Ok(bytes);
    }
    let text = survey_schema::decode(&bytes, &Limits::default()).map_err(|e| e.to_string())?;
    let value = parse_answers(text, format, &Limits::default()).map_err(|e| e.to_string())?;
    let answers = super::fhir::answers_of(survey, value)?;
    serde_json::to_vec(&answers).map_err(|e| e.to_string())
}

/// A progress bar on standard error, when it is a terminal.
struct Progress {
    total: u64,
    shown: Option<Instant>,
    on: bool,
}

impl Progress {
    fn new(total: u64) -> Progress {
        Progress {
            total,
            shown: None,
            on: std::io::stderr().is_terminal() && total > 0,
        }
    }

    fn show(&mut self, done: u64) {
        if !self.on
            || self
                .shown
                .is_some_and(|t| t.elapsed() < Duration::from_millis(200))
        {
            return;
        }
        self.shown = Some(Instant::now());
        let width = usize::try_from(30 * done.min(self.total) / self.total).unwrap_or(30);
        eprint!(
            "\r[{}{}] {} / {} MB",
            "#".repeat(width),
            " ".repeat(30 - width),
            done / 1_000_000,
            self.total / 1_000_000
        );
    }

    fn clear(&self) {
        if self.on && self.shown.is_some() {
            eprint!("\r{}\r", " ".repeat(60));
        }
    }
}
