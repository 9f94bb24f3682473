//! The Listen switch of the Captures tab: runs the local endpoint (127.0.0.1, [`crate::serve`])
//! and lists the requests it receives live; a request opens in the Inspect tab.

use std::sync::mpsc;

use egui::{RichText, Ui};

use super::CapturesView;
use crate::gui::command::{Command, Commands, Origin};
use crate::gui::state::UiEnv;
use crate::gui::widgets::{self, Notice};
use crate::inspected::Inspected;
use crate::present;
use crate::serve::{ServeConfig, ServeEvent, Server};

/// The default port of the Listen switch.
pub const DEFAULT_PORT: u16 = 8787;

/// Most requests kept in the live list.
const MAX_EVENTS: usize = 1000;

/// Most requests drawn.
const MAX_SHOWN: usize = 200;

/// The running endpoint and the requests it received.
pub(super) struct Listen {
    port_text: String,
    server: Option<(Server, mpsc::Receiver<ServeEvent>)>,
    /// Newest first.
    events: Vec<ServeEvent>,
    error: Option<String>,
}

impl Default for Listen {
    fn default() -> Self {
        Listen {
            port_text: DEFAULT_PORT.to_string(),
            server: None,
            events: Vec::new(),
            error: None,
        }
    }
}

impl CapturesView {
    /// The requests received by the endpoint, newest first.
    pub fn events(&self) -> &[ServeEvent] {
        &self.listen.events
    }

    /// The address the endpoint listens on, while it runs.
    pub fn listen_addr(&self) -> Option<std::net::SocketAddr> {
        self.listen.server.as_ref().map(|(s, _)| s.addr())
    }

    /// Whether the endpoint runs.
    pub fn listening(&self) -> bool {
        self.listen.server.is_some()
    }

    /// The last endpoint error (e.g. port in use).
    pub fn listen_error(&self) -> Option<&str> {
        self.listen.error.as_deref()
    }

    /// Starts the endpoint on `port` (127.0.0.1 only).
    pub fn start_listen(&mut self, port: u16, env: &UiEnv) -> Result<(), String> {
        self.stop_listen();
        let cfg = ServeConfig {
            port,
            appid: None,
            keyring: self.keyring.ring.keys.clone(),
            lang: env.lang,
            now: None,
            allow_origins: Vec::new(),
            limits: Default::default(),
        };
        match Server::start_with_channel(cfg) {
            Ok(pair) => {
                self.listen.server = Some(pair);
                self.listen.error = None;
                Ok(())
            }
            Err(e) => {
                let msg = env.lang.fmt("listen.error", &[("error", &e)]);
                self.listen.error = Some(msg.clone());
                Err(msg)
            }
        }
    }

    /// Stops the endpoint (the list of requests is kept).
    pub fn stop_listen(&mut self) {
        if let Some((server, rx)) = self.listen.server.take() {
            server.stop();
            self.take_events(&rx);
        }
    }

    /// Moves the requests received so far into the list.
    pub fn poll_listen(&mut self) {
        if let Some((server, rx)) = self.listen.server.take() {
            self.take_events(&rx);
            self.listen.server = Some((server, rx));
        }
    }

    fn take_events(&mut self, rx: &mpsc::Receiver<ServeEvent>) {
        while let Ok(ev) = rx.try_recv() {
            self.listen.events.insert(0, ev);
        }
        self.listen.events.truncate(MAX_EVENTS);
    }

    pub(super) fn listen_ui(&mut self, ui: &mut Ui, env: &UiEnv, out: &mut Commands) {
        widgets::heading(ui, env.tr("listen.title"));
        self.switch_row(ui, env);
        ui.label(RichText::new(env.tr("serve.devtools")).weak().small());
        if let Some(e) = &self.listen.error {
            Notice::error(e.clone()).show(ui);
        }
        if self.listen.events.is_empty() {
            if self.listen.server.is_some() {
                ui.label(RichText::new(env.tr("listen.empty")).weak());
            }
            return;
        }
        let clicked = self.events_grid(ui, env);
        match clicked.and_then(|i| self.listen.events.get(i)?.inspected.as_ref()) {
            Some(Inspected::OpenData { input, .. }) => out.send(Command::ReplaceDocument {
                input: input.clone(),
                origin: Origin::Listen,
            }),
            Some(Inspected::Envelope { input, .. }) => {
                out.send(Command::OpenEnvelope(Box::new(input.clone())))
            }
            None => {}
        }
    }

    /// The switch, the port, the address while listening, and Clear.
    fn switch_row(&mut self, ui: &mut Ui, env: &UiEnv) {
        let mut on = self.listen.server.is_some();
        let was = on;
        ui.horizontal_wrapped(|ui| {
            ui.checkbox(&mut on, env.tr("listen.switch"))
                .on_hover_text(env.tr("listen.switch.tip"));
            let label = ui.label(env.tr("listen.port"));
            ui.add_enabled(
                !was,
                egui::TextEdit::singleline(&mut self.listen.port_text).desired_width(60.0),
            )
            .labelled_by(label.id);
            if let Some(addr) = self.listen_addr() {
                let url = format!("http://{addr}/");
                ui.label(env.lang.fmt("listen.address", &[("addr", &url)]));
                widgets::copy_button(ui, env, &url);
            }
            if !self.listen.events.is_empty() && ui.button(env.tr("listen.clear")).clicked() {
                self.listen.events.clear();
            }
        });
        if on && !was {
            match self.listen.port_text.trim().parse::<u16>() {
                Ok(port) => {
                    // A failure is kept in `listen.error` and shown below.
                    let _ = self.start_listen(port, env);
                }
                Err(_) => self.listen.error = Some(env.tr("listen.bad_port").to_string()),
            }
        } else if !on && was {
            self.stop_listen();
        }
    }

    /// The requests, newest first; returns the one clicked (when it carries inputs).
    fn events_grid(&self, ui: &mut Ui, env: &UiEnv) -> Option<usize> {
        let mut open = None;
        egui::Grid::new("listen_grid")
            .striped(true)
            .num_columns(5)
            .show(ui, |ui| {
                for key in [
                    "listen.col.time",
                    "listen.col.method",
                    "listen.col.path",
                    "listen.col.status",
                    "listen.col.verdict",
                ] {
                    ui.strong(env.tr(key));
                }
                ui.end_row();
                for (i, ev) in self.listen.events.iter().enumerate().take(MAX_SHOWN) {
                    let time = present::local_time(ev.time).unwrap_or_else(|| ev.time.to_string());
                    let r = ui.selectable_label(false, time);
                    let r = if ev.inspected.is_some() {
                        r.on_hover_text(env.tr("listen.open.tip"))
                    } else {
                        r
                    };
                    if r.clicked() && ev.inspected.is_some() {
                        open = Some(i);
                    }
                    ui.monospace(&ev.method);
                    ui.monospace(&ev.path);
                    ui.label(ev.status.to_string());
                    ui.label(event_verdict(ev, env));
                    ui.end_row();
                }
            });
        open
    }
}

fn event_verdict(ev: &ServeEvent, env: &UiEnv) -> String {
    ev.outcome(env.lang, env.mask)
}
