//! What panels ask of the application: [`Command`] values queued while a frame is drawn and
//! applied by `App::apply` once drawing is done, the one place where the open document is
//! replaced, edited or saved.
//!
//! Panels read the state through [`ViewCtx`](crate::gui::state::ViewCtx) and push commands into a
//! [`Commands`] queue; they never hold the document mutably and never reach into another panel.

use std::path::PathBuf;

use crate::case::Case;
use crate::envelope::EnvelopeInput;
use crate::finding::Field;
use crate::gui::app::Tab;
use crate::gui::confirm::Choice;
use crate::gui::widgets::Notice;
use crate::i18n::Lang;
use crate::opendata::Input;
use crate::platform::Platform;

/// Where inputs that replace the document come from; says what the Inspect tab tells the user.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// "Open in Inspect" on the Encrypt tab, of a payload made as `platform` does.
    Encrypt { platform: Platform },
    /// A row of the captures table.
    Capture,
    /// A request received by the live endpoint.
    Listen,
    /// Paste anything, or a dropped text file: the fields found, for the notice.
    Text { fields: String },
    /// The official demo.
    Demo,
    /// Clear all (the appid stays).
    Cleared,
    /// "Open in Inspect" of Edit and re-encrypt (with the platform chosen for the original).
    Reencrypted { platform: Option<Platform> },
}

impl Origin {
    /// What the Inspect tab says once the inputs are in.
    pub fn notice(&self, lang: Lang) -> Option<Notice> {
        let text = match self {
            Origin::Encrypt { .. } => lang.tr("app.opened_from_encrypt").to_string(),
            Origin::Capture => lang.tr("app.opened_from_captures").to_string(),
            Origin::Listen => lang.tr("app.opened_from_listen").to_string(),
            Origin::Text { fields } => lang.fmt("inspect.paste_any.filled", &[("fields", fields)]),
            Origin::Demo => lang.tr("inspect.demo.loaded").to_string(),
            Origin::Cleared => return None,
            Origin::Reencrypted { .. } => lang.tr("app.opened_reencrypted").to_string(),
        };
        Some(Notice::ok(text))
    }

    /// The platform the new document is read as (`None`: detected, as for anything else).
    pub fn platform(&self) -> Option<Platform> {
        match self {
            Origin::Encrypt { platform } => Some(*platform).filter(|p| *p != Platform::Wechat),
            Origin::Reencrypted { platform } => *platform,
            _ => None,
        }
    }
}

/// An edit of the open document in place: typing, Paste into a field, Apply fix, Use this iv.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    Field(Field, String),
    /// Choose the payload's platform (`None`: detect it).
    Platform(Option<Platform>),
    Name(String),
    Notes(String),
}

/// One request to the application.
///
/// Everything that brings another document into the Inspect tab goes through the same guarded
/// path: when the open document has unsaved changes the user is asked Save / Discard / Cancel
/// first, and a document that came from elsewhere is always a new untitled one (it never keeps
/// the path of a saved case, so Save asks for a name instead of overwriting that case).
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Open inputs from elsewhere as a new untitled document (guarded).
    ReplaceDocument {
        input: Input,
        origin: Origin,
    },
    /// Open a message push or Pay notification from elsewhere (a capture) in its Inspect mode;
    /// what that mode held stays one Restore away, and the open-data document is untouched.
    OpenEnvelope(Box<EnvelopeInput>),
    /// Put new inputs into the four fields (Paste anything, Clear all, a dropped text file):
    /// in place on an untitled document, which is a scratch pad; as a new untitled document
    /// (guarded) when a saved case is open, so the case is never the target.
    FillInputs {
        input: Input,
        origin: Origin,
    },
    /// Edit the open document in place (never asks).
    Edit(Edit),
    /// An empty untitled document (guarded).
    NewDocument,
    /// Load a case file as the document (guarded).
    OpenCase(PathBuf),
    /// Dropped case files or folders: a file is opened, several are listed, a folder is opened.
    OpenPaths(Vec<PathBuf>),
    /// Show the "Open a folder or a case file" dialog.
    ShowOpenDialog,
    /// Save to the document's case file, or ask for a name when it has none.
    SaveCase,
    /// Save under a new name.
    SaveCaseAs,
    /// The Save dialog was confirmed with these values.
    SaveNamed {
        name: String,
        notes: String,
        folder: String,
    },
    /// The Save dialog was closed without saving.
    SaveCancelled,
    /// A case file was renamed (the document follows when it is that file).
    CaseMoved {
        from: PathBuf,
        to: PathBuf,
        case: Box<Case>,
    },
    /// A case file was deleted (the document keeps its inputs as an unsaved document).
    CaseDeleted(PathBuf),
    /// Re-run every case of the folder.
    RunAllCases,
    /// Re-read the cases folder (another view wrote case files).
    RescanCases,
    /// Scan capture files (dropped on the window).
    StartScan(Vec<PathBuf>),
    SwitchTab(Tab),
    SetLang(Lang),
    ToggleHelp,
    /// The window is asked to close (guarded).
    CloseWindow,
    /// The answer to the unsaved-changes question.
    Resolve(Choice),
}

/// The queue of one frame.
#[derive(Debug, Default)]
pub struct Commands(Vec<Command>);

impl Commands {
    pub fn new() -> Commands {
        Commands::default()
    }

    /// Queues `cmd`; it is applied after the frame is drawn.
    pub fn send(&mut self, cmd: Command) {
        self.0.push(cmd);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Command> {
        self.0.iter()
    }

    /// Empties the queue, oldest first.
    pub fn take(&mut self) -> Vec<Command> {
        std::mem::take(&mut self.0)
    }
}
