//! GUI state shared by the panels: the open document (inputs, its report, its case file), the
//! display settings, and the read-only view of both that panels draw from. No drawing here.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::case::Case;
use crate::i18n::Lang;
use crate::opendata::{Input, Options, Report, inspect};
use crate::platform::Platform;

/// Settings every panel reads while drawing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UiEnv {
    pub lang: Lang,
    /// Hide phone digits and key characters on screen.
    pub mask: bool,
    /// Replace phone numbers in saved expectations with hash-checked placeholders.
    pub redact_on_save: bool,
    /// The current time (Unix seconds), refreshed by the app, injectable in tests.
    pub now: i64,
}

impl UiEnv {
    pub fn options(&self) -> Options {
        Options::new(self.now, self.lang)
    }

    /// Shorthand for catalogue look-ups.
    pub fn tr(&self, key: &str) -> &'static str {
        self.lang.tr(key)
    }
}

/// What a panel reads while drawing. Panels change nothing through it: they send commands.
#[derive(Debug, Clone, Copy)]
pub struct ViewCtx<'a> {
    pub env: &'a UiEnv,
    pub doc: &'a Document,
    /// The cases folder (the key ring lives there, captures are saved there as cases).
    pub folder: Option<&'a Path>,
}

/// What was last loaded or saved, to tell whether the document has unsaved changes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Snapshot {
    pub input: Input,
    pub platform: Option<Platform>,
    pub name: String,
    pub notes: String,
}

/// The open document: the four fields, their inspection, and the case file they belong to.
#[derive(Debug, Clone)]
pub struct Document {
    pub input: Input,
    /// The platform chosen for the payload (`None`: detected from the inputs).
    pub platform: Option<Platform>,
    pub report: Report,
    pub name: String,
    pub notes: String,
    /// The case file this document was loaded from or saved to.
    pub path: Option<PathBuf>,
    /// The case as last read or written (keeps unknown fields for re-save).
    pub case: Option<Case>,
    /// State at the last load/save; `None` for a document never saved.
    pub saved: Option<Snapshot>,
    /// Inspections of long inputs run off the UI thread.
    background: Background,
}

/// Inputs longer than this (bytes, all fields) are re-inspected off the UI thread after edits,
/// the previous report staying on screen until the new one arrives; shorter ones at once.
pub const BACKGROUND_FROM: usize = 64 * 1024;

/// Pause after the last edit of a long input before it is inspected (typing is not held up).
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// Where the report stands against the input.
#[derive(Debug, Clone, Default)]
struct Background {
    /// Bumped by every refresh.
    generation: u64,
    /// The generation the report was made from.
    shown: u64,
    /// When the input last changed while waiting for a background inspection.
    edited: Option<Instant>,
    /// The inspection under way: its generation and where its report lands.
    running: Option<(u64, Arc<Mutex<Option<Report>>>)>,
}

impl Document {
    pub fn new(input: Input, env: &UiEnv) -> Document {
        let report = inspect(&input, &env.options());
        Document {
            input,
            platform: None,
            report,
            name: String::new(),
            notes: String::new(),
            path: None,
            case: None,
            saved: None,
            background: Background::default(),
        }
    }

    /// Re-inspects the current input (call after every edit, or when language/time change): at
    /// once for short inputs; for long ones [`Document::poll`] starts it off the UI thread.
    pub fn refresh(&mut self, env: &UiEnv) {
        let opts = self.options(env);
        let b = &mut self.background;
        b.generation += 1;
        if input_len(&self.input) > BACKGROUND_FROM {
            b.edited = Some(Instant::now());
        } else {
            self.report = inspect(&self.input, &opts);
            b.shown = b.generation;
        }
    }

    /// The inspection options for this document: the settings and its platform.
    pub fn options(&self, env: &UiEnv) -> Options {
        env.options().with_platform(self.platform)
    }

    /// Takes a finished background report and starts the next inspection once edits pause.
    /// Returns whether the report on screen is older than the input (the app polls again soon).
    pub fn poll(&mut self, env: &UiEnv) -> bool {
        let opts = self.options(env);
        let b = &mut self.background;
        if let Some((generation, slot)) = &b.running {
            let done = slot.lock().ok().and_then(|mut r| r.take());
            if let Some(report) = done {
                if *generation == b.generation {
                    self.report = report;
                    b.shown = b.generation;
                }
                b.running = None;
            }
        }
        let stale = b.shown != b.generation;
        let quiet = b.edited.is_none_or(|t| t.elapsed() >= DEBOUNCE);
        if stale && b.running.is_none() && quiet {
            let slot = Arc::new(Mutex::new(None));
            let (input, out) = (self.input.clone(), slot.clone());
            let spawned = std::thread::Builder::new()
                .name("inspect".into())
                .spawn(move || {
                    let report = inspect(&input, &opts);
                    if let Ok(mut r) = out.lock() {
                        *r = Some(report);
                    }
                });
            match spawned {
                Ok(_) => b.running = Some((b.generation, slot)),
                // No thread to be had: inspect here rather than never.
                Err(_) => {
                    self.report = inspect(&self.input, &opts);
                    b.shown = b.generation;
                }
            }
        }
        self.is_stale()
    }

    /// Whether the report is older than the input (a long input being re-inspected).
    pub fn is_stale(&self) -> bool {
        self.background.shown != self.background.generation
    }

    /// The report of the current input, made now if the one on screen is older.
    pub fn current_report(&self, env: &UiEnv) -> std::borrow::Cow<'_, Report> {
        if self.is_stale() {
            std::borrow::Cow::Owned(inspect(&self.input, &self.options(env)))
        } else {
            std::borrow::Cow::Borrowed(&self.report)
        }
    }

    /// Replaces the inputs in place (keeps name, notes and path) and re-inspects: an edit of this
    /// document. Inputs from elsewhere make a new document instead ([`Document::new`]).
    pub fn set_input(&mut self, input: Input, env: &UiEnv) {
        self.input = input;
        self.refresh(env);
    }

    /// Loads a case as the document.
    pub fn load_case(&mut self, case: Case, path: Option<PathBuf>, env: &UiEnv) {
        self.input = case.input.to_input();
        self.platform = case.input.platform;
        self.name = case.name.clone();
        self.notes = case.notes.clone();
        self.path = path;
        self.saved = Some(self.snapshot());
        self.case = Some(case);
        self.refresh(env);
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            input: self.input.clone(),
            platform: self.platform,
            name: self.name.clone(),
            notes: self.notes.clone(),
        }
    }

    /// Whether there is work that would be lost by replacing this document.
    pub fn is_dirty(&self) -> bool {
        match &self.saved {
            Some(s) => *s != self.snapshot(),
            // A never-saved document counts as dirty only when something was typed.
            None => {
                let i = &self.input;
                !(i.session_key.trim().is_empty()
                    && i.iv.trim().is_empty()
                    && i.encrypted_data.trim().is_empty())
                    && self.path.is_none()
                    && !self.is_pristine_demo()
            }
        }
    }

    /// The demo document shown at start-up is not user work.
    fn is_pristine_demo(&self) -> bool {
        self.input == demo_input()
    }

    /// Builds the case to save: current inputs, the current report as expectation, and what the
    /// case it was loaded from must keep ([`Case::keep_from`]).
    pub fn to_case(&self, env: &UiEnv) -> Case {
        let report = self.current_report(env);
        let mut case = Case::from_report(&self.name, &self.notes, &self.input, &report, env.now);
        if let Some(old) = &self.case {
            case.keep_from(old, &report);
        }
        if env.redact_on_save {
            case.redact();
        }
        case
    }

    /// Records a successful save to `path`.
    pub fn mark_saved(&mut self, path: PathBuf, case: Case) {
        self.path = Some(path);
        self.case = Some(case);
        self.saved = Some(self.snapshot());
    }
}

/// Bytes in all the fields of `input`.
pub(crate) fn input_len(input: &Input) -> usize {
    input.appid.len() + input.session_key.len() + input.iv.len() + input.encrypted_data.len()
}

/// The official demo from the WeChat documentation (user info for appid wx4f4bc4dec97d474b).
pub fn demo_input() -> Input {
    Input::new(
        "wx4f4bc4dec97d474b",
        "tiihtNczf5v6AKRyjwEUhQ==",
        "r7BXXKkLb8qrSNn05n0qiA==",
        concat!(
            "CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZMQmRzooG2xrDcvSnxIMXFufNstNGTyaGS",
            "9uT5geRa0W4oTOb1WT7fJlAC+oNPdbB+3hVbJSRgv+4lGOETKUQz6OYStslQ142d",
            "NCuabNPGBzlooOmB231qMM85d2/fV6ChevvXvQP8Hkue1poOFtnEtpyxVLW1zAo6",
            "/1Xx1COxFvrc2d7UL/lmHInNlxuacJXwu0fjpXfz/YqYzBIBzD6WUfTIF9GRHpOn",
            "/Hz7saL8xz+W//FRAUid1OksQaQx4CMs8LOddcQhULW4ucetDf96JcR3g0gfRK4P",
            "C7E/r7Z6xNrXd2UIeorGj5Ef7b1pJAYB6Y5anaHqZ9J6nKEBvB4DnNLIVWSgARns",
            "/8wR2SiRS7MNACwTyrGvt9ts8p12PKFdlqYTopNHR1Vf7XjfhQlVsAJdNiKdYmYV",
            "oKlaRv85IfVunYzO0IKXsyl7JCUjCpoG20f0a04COwfneQAGGwd5oa+T8yO5hzuy",
            "Db/XcxxmK01EpqOyuxINew=="
        ),
    )
}
