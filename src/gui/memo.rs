//! Views derived from a report and kept between frames: made once per key, not every frame.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// The value kept under `slot` (egui's temp memory), made again by `make` only when `key` changes:
/// one value a slot.
pub fn cached<T: Send + Sync + 'static>(
    ctx: &egui::Context,
    slot: egui::Id,
    key: impl Hash,
    make: impl FnOnce() -> T,
) -> Arc<T> {
    // Hashed here, not by `Id::unique`: debug builds keep a printout of each id's source, and keys
    // are often whole plaintexts.
    let key = {
        let mut h = std::hash::DefaultHasher::new();
        key.hash(&mut h);
        egui::Id::unique(h.finish())
    };
    if let Some((k, v)) = ctx.data(|d| d.get_temp::<(egui::Id, Arc<T>)>(slot))
        && k == key
    {
        return v;
    }
    let v = Arc::new(make());
    ctx.data_mut(|d| d.insert_temp(slot, (key, v.clone())));
    v
}
