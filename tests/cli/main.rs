//! The command line's tests, one binary: each runs the built `wxdecrypt` as a user would (exit
//! codes, `--json`, cases, encrypt, batch, scan, serve) and checks that the CLI and the GUI agree.

mod api;
mod batch_output;
mod commands;
mod envelope_captures;
mod envelopes;
mod faces_agree;
mod install;
mod manual;
mod platforms;
mod regressions;
mod scan;
mod scan_stream;
mod serve;
mod server_answers;
mod signatures;
mod snippet;
mod templates;
