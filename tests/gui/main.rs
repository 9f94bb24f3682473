//! The desktop workbench's tests, one binary: each panel driven headless through egui_kittest on the
//! real `App` (accessible names, clicks, text input; no display needed).

mod big;
mod captures;
mod cases;
mod commands;
mod encrypt;
mod envelopes;
mod glyphs;
mod inspect;
mod open_at_start;
mod platforms;
mod signature;
mod support;
mod tamper;
