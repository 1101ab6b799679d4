//! Answer sets streamed from files and `.jsonl` batches: read once, in blocks of about a
//! megabyte, worked on by several threads and handed back in input order, with memory bounded
//! by the blocks in flight (not by the input) and a progress bar on a terminal.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Read};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Mutex};

use survey_schema::{Format, Limits, Resource, Survey, parse_answers, sniff};

use crate::files::Fatal;

/// Bytes read at a time from a batch; a block holds the whole lines among them.
const CHUNK: usize = 1 << 20;

/// The most lines in a block: what a block's lines print is bounded too (a million tiny
/// invalid lines print far more than they take).
const LINES: usize = 2048;

/// An answer set in a block: its line number (none for a whole file) and where it is in the
/// block's bytes, or why it cannot be read.
type Item = (Option<usize>, Result<Range<usize>, String>);

/// A block of input: some whole lines of a batch, or one answer file.
pub(crate) struct Block {
    /// The file the block is from.
    source: Arc<str>,
    /// The file's bytes: whole lines of a batch, or the whole answer file.
    bytes: Vec<u8>,
    /// Each answer set.
    items: Vec<Item>,
    /// The format of a whole file (a batch is JSON).
    format: Format,
}

impl Block {
    /// The lines of a batch block: each line number and its bytes, or why it cannot be read.
    pub(crate) fn lines(&self) -> impl Iterator<Item = (usize, Result<&[u8], &str>)> {
        self.items.iter().map(|(line, item)| {
            let bytes = match item {
                Ok(range) => Ok(&self.bytes[range.clone()]),
                Err(why) => Err(why.as_str()),
            };
            (line.unwrap_or(1), bytes)
        })
    }
    /// Calls `each(row_id, json)` for each answer set of the block, in order: its row id (the
    /// file, or `FILE:LINE` in a batch) and its answer-set JSON (YAML files and
    /// `QuestionnaireResponse`s turned into answer-set JSON first), or why it cannot be read.
    pub(crate) fn each(
        &self,
        survey: &Survey,
        mut each: impl FnMut(&str, Result<&[u8], String>) -> Result<(), Fatal>,
    ) -> Result<(), Fatal> {
        let mut row_id = String::new();
        for (line, item) in &self.items {
            row_id.clear();
            row_id.push_str(&self.source);
            if let Some(line) = line {
                row_id.push(':');
                row_id.push_str(&line.to_string());
            }
            let json = match item {
                Err(why) => Err(why.clone()),
                Ok(range) => {
                    let bytes = &self.bytes[range.clone()];
                    if self.format == Format::Json
                        && sniff(bytes) != Some(Resource::QuestionnaireResponse)
                    {
                        each(&row_id, Ok(bytes))?;
                        continue;
                    }
                    converted(survey, bytes, self.format)
                }
            };
            match json {
                Ok(owned) => each(&row_id, Ok(&owned))?,
                Err(why) => each(&row_id, Err(why))?,
            }
        }
        Ok(())
    }
}

/// A YAML answer file or a `QuestionnaireResponse` as answer-set JSON.
fn converted(survey: &Survey, bytes: &[u8], format: Format) -> Result<Vec<u8>, String> {
    let limits = Limits::default();
    let text = survey_schema::decode(bytes, &limits).map_err(|e| e.to_string())?;
    let value = parse_answers(text, format, &limits).map_err(|e| e.to_string())?;
    let answers = crate::responses::answers_of(survey, value)?;
    serde_json::to_vec(&answers).map_err(|e| e.to_string())
}

/// Reads every answer set of `inputs` once, runs `work` on each block of them on `jobs`
/// threads, and hands each block's result to `sink` in input order. An input that cannot be
/// opened or read stops the stream with that error.
pub(crate) fn each_block<T: Send>(
    inputs: &[PathBuf],
    jobs: usize,
    work: impl Fn(&Block) -> T + Sync,
    sink: impl FnMut(T) -> Result<(), Fatal>,
) -> Result<(), Fatal> {
    let total: u64 = inputs
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    run(
        total,
        jobs,
        |read_bytes, send| read_all(inputs, read_bytes, send),
        work,
        sink,
    )
}

/// [`each_block`] on one batch read from `reader` (a file or standard input) named `name`,
/// of `total` bytes if known (for the progress bar).
pub(crate) fn each_batch_block<T: Send>(
    reader: impl Read + Send,
    name: &str,
    total: u64,
    jobs: usize,
    work: impl Fn(&Block) -> T + Sync,
    sink: impl FnMut(T) -> Result<(), Fatal>,
) -> Result<(), Fatal> {
    let source: Arc<str> = name.into();
    run(
        total,
        jobs,
        |read_bytes, send| read_batch(reader, &source, read_bytes, send).map(|_| ()),
        work,
        sink,
    )
}

/// The pipeline: `read` sends blocks (false: no one takes them any more), `jobs` threads run
/// `work` on them, and `sink` takes the results in the blocks' order.
fn run<T: Send>(
    total: u64,
    jobs: usize,
    read: impl FnOnce(&AtomicU64, &mut dyn FnMut(Block) -> bool) -> Result<(), Fatal> + Send,
    work: impl Fn(&Block) -> T + Sync,
    mut sink: impl FnMut(T) -> Result<(), Fatal>,
) -> Result<(), Fatal> {
    let read_bytes = AtomicU64::new(0);
    let jobs = jobs.max(1);
    std::thread::scope(|scope| {
        let (blocks_in, blocks_out) = sync_channel::<(usize, Block)>(jobs * 2);
        let (results_in, results_out) = sync_channel::<(usize, T)>(jobs * 2);
        let read_bytes = &read_bytes;
        let reader = scope.spawn(move || {
            let mut place = 0;
            let mut send = |block: Block| -> bool {
                if block.items.is_empty() {
                    return true;
                }
                place += 1;
                blocks_in.send((place - 1, block)).is_ok()
            };
            read(read_bytes, &mut send)
        });
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
        let progress = progress_bar(total);
        let mut waiting = BTreeMap::new();
        let mut expected = 0;
        for (place, result) in results_out {
            waiting.insert(place, result);
            while let Some(result) = waiting.remove(&expected) {
                sink(result)?;
                expected += 1;
            }
            progress.set_position(read_bytes.load(Ordering::Relaxed));
        }
        progress.finish_and_clear();
        reader
            .join()
            .unwrap_or_else(|_| Err(Fatal("the reader stopped".into())))
    })
}

fn next(blocks: &Mutex<Receiver<(usize, Block)>>) -> Option<(usize, Block)> {
    blocks.lock().ok()?.recv().ok()
}

/// Reads the inputs in order into blocks; stops early when no one takes them any more.
fn read_all(
    inputs: &[PathBuf],
    read_bytes: &AtomicU64,
    send: &mut dyn FnMut(Block) -> bool,
) -> Result<(), Fatal> {
    for input in inputs {
        let source: Arc<str> = input.display().to_string().into();
        let is_batch = input
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("jsonl"));
        if is_batch {
            let file = std::fs::File::open(input)
                .map_err(|e| Fatal(format!("cannot read {source}: {e}")))?;
            if !read_batch(file, &source, read_bytes, send)? {
                return Ok(());
            }
            continue;
        }
        let text = survey_schema::read_text(input, &Limits::default())
            .map_err(|e| Fatal(e.to_string()))?;
        read_bytes.fetch_add(text.len() as u64, Ordering::Relaxed);
        let block = Block {
            source,
            items: vec![(None, Ok(0..text.len()))],
            bytes: text.into_bytes(),
            format: Format::from_path(input).unwrap_or(Format::Json),
        };
        if !send(block) {
            return Ok(());
        }
    }
    Ok(())
}

/// Reads a batch a chunk at a time, each block the whole lines read so far (at most
/// [`LINES`] of them); a line longer than an answer set may be is skipped (read, not kept)
/// and reported as such. False when no one takes the blocks any more.
fn read_batch(
    mut reader: impl Read,
    source: &Arc<str>,
    read_bytes: &AtomicU64,
    send: &mut dyn FnMut(Block) -> bool,
) -> Result<bool, Fatal> {
    let limit = Limits::default().max_input_bytes;
    let cannot = |e: std::io::Error| Fatal(format!("cannot read {source}: {e}"));
    let too_long = || Err(format!("the line is longer than {limit} bytes"));
    // Bytes read and not yet in a block; `lines` of them are whole lines.
    let mut carry: Vec<u8> = Vec::new();
    let mut whole_in_carry = false;
    let mut line = 1;
    // The line being skipped for its length, while its end is looked for.
    let mut skipping = false;
    let mut at_end = false;
    loop {
        let mut bytes = std::mem::take(&mut carry);
        // Only what was just read is searched for a line end: a long line is scanned once.
        let searched = if whole_in_carry { 0 } else { bytes.len() };
        if !whole_in_carry {
            let read = (&mut reader)
                .take(CHUNK as u64)
                .read_to_end(&mut bytes)
                .map_err(cannot)?;
            read_bytes.fetch_add(read as u64, Ordering::Relaxed);
            at_end = read == 0;
        }
        let whole = if at_end {
            bytes.len()
        } else {
            memchr::memrchr(b'\n', &bytes[searched..]).map_or(0, |i| searched + i + 1)
        };
        if whole == 0 && !at_end {
            // No line end yet: read on, or give up on a line past the limit.
            if bytes.len() > limit {
                skipping = true;
            } else {
                carry = bytes;
            }
            continue;
        }
        let mut items = Vec::new();
        let mut start = 0;
        while start < whole && items.len() < LINES {
            let end = memchr::memchr(b'\n', &bytes[start..whole]).map_or(whole, |i| start + i);
            if skipping {
                items.push((Some(line), too_long()));
                skipping = false;
            } else if end - start > limit {
                items.push((Some(line), too_long()));
            } else if !bytes[start..end].iter().all(u8::is_ascii_whitespace) {
                items.push((Some(line), Ok(start..end)));
            }
            line += 1;
            start = end + 1;
        }
        let start = start.min(bytes.len());
        whole_in_carry = start < whole;
        carry = bytes.split_off(start);
        if at_end && !whole_in_carry && skipping {
            items.push((Some(line), too_long()));
            skipping = false;
        }
        let block = Block {
            source: Arc::clone(source),
            bytes,
            items,
            format: Format::Json,
        };
        if !send(block) {
            return Ok(false);
        }
        if at_end && !whole_in_carry {
            return Ok(true);
        }
    }
}

/// The progress bar of a batch on standard error, when it is a terminal (indicatif hides it
/// otherwise): megabytes read of the whole, the rate and the time left.
fn progress_bar(total: u64) -> indicatif::ProgressBar {
    if total == 0 || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    let style = indicatif::ProgressStyle::with_template(
        "[{bar:30}] {binary_bytes} / {binary_total_bytes}, {binary_bytes_per_sec}, {eta} left",
    )
    .map(|s| s.progress_chars("#>-"));
    if let Ok(style) = style {
        bar.set_style(style);
    }
    bar
}
