//! The committed image of the built-in pack (`pack.image`, see `src/image.rs`) is the one its
//! sources compile to with this tree's regorus, and a scan with the built-in pack uses it.
//!
//! After a change to `rules/` or to `vendor/regorus`, write it again with
//! `WA_LINT_WRITE_PACK_IMAGE=1 cargo test -p wa_lint_rules --test image`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use wa_lint_rules::RulePack;

#[test]
fn the_committed_pack_image_is_up_to_date_and_used() {
    let sources = wa_lint_rules::pack_sources(&[]).unwrap();
    let compiled = RulePack::compiled_from_sources(&sources, 2).unwrap();
    assert!(!compiled.from_image());
    let fresh = compiled
        .image()
        .expect("every group of the built-in pack has a VM program");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("pack.image");
    if std::env::var_os("WA_LINT_WRITE_PACK_IMAGE").is_some() {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    let committed = std::fs::read(&path).unwrap();
    assert!(
        committed == fresh,
        "pack.image is stale ({} bytes, fresh image {} bytes): write it again with \
         `WA_LINT_WRITE_PACK_IMAGE=1 cargo test -p wa_lint_rules --test image`",
        committed.len(),
        fresh.len()
    );
    let loaded = RulePack::from_sources_on(&sources, 2).unwrap();
    assert!(loaded.from_image());
    assert_eq!(loaded.image().unwrap(), fresh);
    let ids = |p: &RulePack| p.rules().iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&loaded), ids(&compiled));
    for i in 0..loaded.rules().len() {
        assert_eq!(loaded.source_path(i), compiled.source_path(i));
    }
    assert_eq!(loaded.vm_groups(), loaded.groups());
}

#[test]
fn a_pack_with_other_sources_is_compiled() {
    let mut sources = wa_lint_rules::pack_sources(&[]).unwrap();
    sources.last_mut().unwrap().1.push_str("\n# an edit\n");
    let pack = RulePack::from_sources_on(&sources, 2).unwrap();
    assert!(!pack.from_image());
    assert_eq!(pack.vm_groups(), pack.groups());
}
