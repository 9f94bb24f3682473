//! `App::apply`: the one place that carries out what the panels asked for, and the document flow
//! behind it — every replacement of the open document passes the unsaved-changes guard, and a
//! document that came from elsewhere is a new untitled one.

use std::collections::VecDeque;
use std::path::PathBuf;

use super::{App, Tab};
use crate::case::{self, Case};
use crate::gui::command::{Command, Commands, Edit};
use crate::gui::confirm::{After, Choice, Guard, Replacement};
use crate::gui::inspect::InspectMode;
use crate::gui::state::Document;
use crate::gui::widgets::Notice;
use crate::i18n::Lang;
use crate::opendata::Input;

/// Most commands applied in one go (a command may queue follow-ups; this bounds a loop).
const MAX_COMMANDS: usize = 256;

impl App {
    /// Applies one command and whatever it queues in turn.
    pub fn apply(&mut self, cmd: Command) {
        self.apply_all(vec![cmd]);
    }

    /// Applies the commands of a frame, oldest first.
    pub fn apply_all(&mut self, cmds: Vec<Command>) {
        if !cmds.is_empty() {
            // What the commands inspect is dated now (a payload made a moment ago is not "in
            // the future" by however long the clock was last read before).
            self.read_clock();
        }
        let mut queue: VecDeque<Command> = cmds.into();
        let mut done = 0;
        while let Some(cmd) = queue.pop_front() {
            done += 1;
            if done > MAX_COMMANDS {
                break;
            }
            let mut more = Commands::new();
            self.apply_one(cmd, &mut more);
            queue.extend(more.take());
        }
    }

    fn apply_one(&mut self, cmd: Command, more: &mut Commands) {
        let env = self.env;
        match cmd {
            Command::ReplaceDocument { input, origin } => {
                self.guarded(After::Replace(Replacement::Input { input, origin }));
            }
            Command::FillInputs { input, origin } => {
                if self.doc.path.is_some() {
                    self.guarded(After::Replace(Replacement::Input { input, origin }));
                } else {
                    self.doc.set_input(input, &env);
                    self.tab = Tab::Inspect;
                    self.inspect.notice = origin.notice(env.lang);
                }
            }
            Command::Edit(edit) => self.edit(edit),
            Command::NewDocument => self.guarded(After::Replace(Replacement::New)),
            Command::OpenCase(path) => {
                // A message-push or Pay case opens in its own mode; the open-data document
                // stays as it is, so nothing needs asking.
                let envelope = case::load_case(&path)
                    .ok()
                    .filter(|c| c.input.kind != case::InputKind::OpenData);
                if let Some(c) = envelope {
                    if let Some(which) = self.inspect.envelope.open_case(&c, &env) {
                        self.inspect.mode = InspectMode::of(which);
                        self.tab = Tab::Inspect;
                    }
                } else if self.doc.path.as_deref() != Some(path.as_path()) {
                    self.guarded(After::Replace(Replacement::Load(path)));
                }
            }
            Command::OpenEnvelope(input) => {
                let which = self.inspect.envelope.open_captured(*input, &env);
                self.inspect.mode = InspectMode::of(which);
                self.tab = Tab::Inspect;
            }
            Command::OpenPaths(paths) => self.cases.open_paths(paths, &env, more),
            Command::ShowOpenDialog => self.cases.show_open_dialog(),
            Command::SaveCase => self.save(false),
            Command::SaveCaseAs => self.save(true),
            Command::SaveNamed {
                name,
                notes,
                folder,
            } => {
                if let Some((path, case)) = self
                    .cases
                    .save_named(&self.doc, &name, &notes, &folder, &env)
                {
                    self.doc.name = case.name.clone();
                    self.doc.notes = case.notes.clone();
                    self.doc.mark_saved(path, case);
                    self.saved();
                }
            }
            Command::SaveCancelled => {
                if matches!(self.guard, Guard::Saving(_)) {
                    self.guard = Guard::Idle;
                }
            }
            Command::CaseMoved { from, to, case } => self.case_moved(&from, to, *case),
            Command::CaseDeleted(path) => {
                if self.doc.path.as_deref() == Some(path.as_path()) {
                    // The inputs stay on screen as an unsaved document: nothing is lost.
                    self.doc.path = None;
                    self.doc.case = None;
                    self.doc.saved = None;
                }
            }
            Command::RunAllCases => self.cases.run_all(&env),
            Command::RescanCases => self.cases.rescan(),
            Command::StartScan(paths) => {
                self.tab = Tab::Captures;
                let folder = self.cases.folder().map(std::path::Path::to_path_buf);
                self.captures.follow_folder(folder.as_deref(), &env);
                self.captures.start_scan(paths, &env, self.egui_ctx.clone());
            }
            Command::SwitchTab(tab) => self.tab = tab,
            Command::SetLang(lang) => self.set_lang(lang),
            Command::ToggleHelp => self.help_open = !self.help_open,
            Command::CloseWindow => self.guarded(After::Close),
            Command::Resolve(choice) => self.resolve(choice),
        }
    }

    /// Switches the interface language (messages of the current report included).
    pub fn set_lang(&mut self, lang: Lang) {
        if self.env.lang != lang {
            self.env.lang = lang;
            self.doc.refresh(&self.env);
            self.inspect.notice = None;
        }
    }

    fn edit(&mut self, edit: Edit) {
        match edit {
            Edit::Field(field, text) => {
                if let Some(slot) = self.doc.input.get_mut(field) {
                    *slot = text;
                    self.doc.refresh(&self.env);
                }
            }
            Edit::Platform(platform) => {
                self.doc.platform = platform;
                self.doc.refresh(&self.env);
            }
            Edit::Name(name) => self.doc.name = name,
            Edit::Notes(notes) => self.doc.notes = notes,
        }
    }

    /// Does `after` at once, or asks Save / Discard / Cancel first when there are unsaved changes.
    fn guarded(&mut self, after: After) {
        if self.doc.is_dirty() {
            self.guard = Guard::Asking(after);
        } else {
            self.guard = Guard::Idle;
            self.perform(after);
        }
    }

    fn resolve(&mut self, choice: Choice) {
        let Guard::Asking(after) = std::mem::take(&mut self.guard) else {
            return;
        };
        match choice {
            Choice::Save => {
                self.guard = Guard::Saving(after);
                self.save(false);
            }
            Choice::Discard => self.perform(after),
            Choice::Cancel => self.cases.show_selected(self.doc.path.clone()),
        }
    }

    /// After a successful save: runs what waited for it.
    fn saved(&mut self) {
        if let Guard::Saving(after) = std::mem::take(&mut self.guard) {
            self.perform(after);
        }
    }

    fn perform(&mut self, after: After) {
        let env = self.env;
        let replacement = match after {
            After::Close => {
                self.close_confirmed = true;
                self.close_now = true;
                return;
            }
            After::Replace(r) => r,
        };
        match replacement {
            Replacement::New => {
                self.doc = Document::new(Input::default(), &env);
                self.inspect.notice = None;
            }
            Replacement::Load(path) => match case::load_case(&path) {
                Ok(case) => {
                    self.doc.load_case(case, Some(path), &env);
                    self.inspect.notice = None;
                }
                Err(e) => {
                    self.cases.notify(Notice::error(e.message(env.lang)));
                    self.cases.show_selected(self.doc.path.clone());
                    return;
                }
            },
            Replacement::Input { input, origin } => {
                // Never the path of the case that was open: Save asks for a name.
                self.doc = Document::new(input, &env);
                if let Some(p) = origin.platform() {
                    self.doc.platform = Some(p);
                    self.doc.refresh(&env);
                }
                self.inspect.notice = origin.notice(env.lang);
            }
        }
        self.cases.show_selected(self.doc.path.clone());
        self.tab = Tab::Inspect;
    }

    /// Saves to the document's case file, or opens the Save dialog when it has none (or for
    /// Save As).
    fn save(&mut self, save_as: bool) {
        let Some(path) = self.doc.path.clone().filter(|_| !save_as) else {
            self.cases.ask_save(&self.doc, save_as);
            return;
        };
        let case = self.doc.to_case(&self.env);
        if self.cases.write(&path, &case, &self.env) {
            self.doc.mark_saved(path, case);
            self.saved();
        } else if matches!(self.guard, Guard::Saving(_)) {
            // The save failed: nothing is replaced, the error is on screen.
            self.guard = Guard::Idle;
        }
    }

    fn case_moved(&mut self, from: &std::path::Path, to: PathBuf, case: Case) {
        if self.doc.path.as_deref() != Some(from) {
            return;
        }
        self.doc.path = Some(to);
        self.doc.name = case.name.clone();
        if let Some(s) = &mut self.doc.saved {
            s.name = case.name.clone();
        }
        self.doc.case = Some(case);
    }
}
