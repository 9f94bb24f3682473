//! The engine's tests, one binary (each test binary links the whole crate, so they are grouped by
//! face): the vectors, the regression reproducers, the property tests and the catalogues. They need
//! no feature and run in `cargo test --no-default-features`.

mod envelope_keys;
mod envelopes;
mod i18n;
mod official;
mod platforms;
mod props;
mod regressions;
mod server;
mod signatures;
mod snippets;
mod tamper;
mod vectors;
