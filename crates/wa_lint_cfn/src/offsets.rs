//! Character index → UTF-8 byte offset (saphyr markers count characters).

/// Maps character indexes of a text to byte offsets in the file, including a leading BOM
/// that was cut off before parsing (`base`).
pub(crate) struct CharOffsets {
    /// Byte offset of each character start, plus the text length; empty for ASCII text.
    table: Vec<u32>,
    /// Length of the text in bytes.
    len: usize,
    /// Bytes before the parsed text in the file (3 for a UTF-8 BOM, else 0).
    base: usize,
    /// Set when the parsed text was padded by [`crate::repair`].
    remap: Option<crate::repair::Remap>,
}

impl CharOffsets {
    /// Builds the table for `text` (no table for ASCII text: indexes are offsets).
    pub(crate) fn new(text: &str, base: usize) -> Self {
        let table = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices()
                .map(|(b, _)| u32::try_from(b).unwrap_or(u32::MAX))
                .chain(std::iter::once(
                    u32::try_from(text.len()).unwrap_or(u32::MAX),
                ))
                .collect()
        };
        Self {
            table,
            len: text.len(),
            base,
            remap: None,
        }
    }

    /// The same, for a text padded by [`crate::repair`]: offsets map back to the original.
    pub(crate) fn with_remap(mut self, remap: crate::repair::Remap) -> Self {
        self.remap = Some(remap);
        self
    }

    /// Byte offset in the file of character `index` of the parsed text (clamped to its end).
    pub(crate) fn byte(&self, index: usize) -> usize {
        let local = if self.table.is_empty() {
            index.min(self.len)
        } else {
            self.table.get(index).map_or(self.len, |&b| b as usize)
        };
        self.base + self.remap.as_ref().map_or(local, |r| r.original(local))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_chars_to_bytes() {
        let o = CharOffsets::new("aé€b", 3);
        assert_eq!(o.byte(0), 3);
        assert_eq!(o.byte(2), 3 + 3);
        assert_eq!(o.byte(3), 3 + 6);
        assert_eq!(o.byte(4), 3 + 7);
        assert_eq!(o.byte(99), 3 + 7);
        let ascii = CharOffsets::new("abc", 0);
        assert_eq!(ascii.byte(2), 2);
        assert_eq!(ascii.byte(9), 3);
    }
}
