//! Reading a file's text from disk: within a size limit, as UTF-8 (a leading byte-order mark
//! dropped) or as UTF-16 announced by its byte-order mark.

use std::io::Read as _;
use std::path::Path;

/// The encoding a file was decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, with or without a byte-order mark.
    Utf8,
    /// UTF-16 little-endian (byte-order mark `FF FE`).
    Utf16Le,
    /// UTF-16 big-endian (byte-order mark `FE FF`).
    Utf16Be,
}

impl Encoding {
    /// How the encoding is named in diagnostics (`"UTF-16 LE"`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Utf8 => "UTF-8",
            Self::Utf16Le => "UTF-16 LE",
            Self::Utf16Be => "UTF-16 BE",
        }
    }
}

/// A decoded text.
#[derive(Debug)]
pub struct Decoded {
    /// The text, without byte-order mark. When `first_bad` is set, invalid sequences are
    /// replaced with U+FFFD (lossy decoding keeps every byte before the first bad one where it
    /// was).
    pub text: String,
    /// The encoding it was decoded from.
    pub encoding: Encoding,
    /// UTF-8 byte offset in `text` of the first replacement character, when the file is not
    /// valid in its encoding.
    pub first_bad: Option<usize>,
}

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// Opening or reading failed.
    Io(std::io::Error),
    /// The file is larger than the limit (its size in bytes).
    TooLarge(u64),
}

/// Reads the file at `path`, refusing files over `max_bytes` before reading them (the size is
/// taken from the open handle, and at most `max_bytes + 1` bytes are ever read, so a file
/// growing meanwhile is refused too), and decodes it.
///
/// # Errors
/// [`ReadError::Io`] when the file cannot be opened or read or is not a regular file (a FIFO,
/// a device, a directory), [`ReadError::TooLarge`] when it is over `max_bytes` bytes. Invalid UTF-8/UTF-16 is not an error: see
/// [`Decoded::first_bad`].
pub fn read_text(path: &Path, max_bytes: u64) -> Result<Decoded, ReadError> {
    let file = open(path).map_err(ReadError::Io)?;
    let metadata = file.metadata().map_err(ReadError::Io)?;
    if !metadata.is_file() {
        return Err(ReadError::Io(std::io::Error::other("not a regular file")));
    }
    let size = metadata.len();
    if size > max_bytes {
        return Err(ReadError::TooLarge(size));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > max_bytes {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    Ok(decode(bytes))
}

/// Opens `path` for reading. On Unix without blocking (`O_NONBLOCK`): a FIFO or device put in
/// place of a file opens at once and is then refused as not a regular file, instead of
/// blocking the scan in `open` (the flag does not change reads of regular files).
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// Decodes `bytes`: UTF-16 when they start with a UTF-16 byte-order mark, else UTF-8 (a
/// UTF-8 byte-order mark is dropped).
pub fn decode(mut bytes: Vec<u8>) -> Decoded {
    let utf16 = if bytes.starts_with(b"\xFF\xFE") {
        Some(Encoding::Utf16Le)
    } else if bytes.starts_with(b"\xFE\xFF") {
        Some(Encoding::Utf16Be)
    } else {
        None
    };
    if let Some(encoding) = utf16 {
        return decode_utf16(bytes.get(2..).unwrap_or_default(), encoding);
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        // No copy: the buffer becomes the text.
        Ok(text) => Decoded {
            text,
            encoding: Encoding::Utf8,
            first_bad: None,
        },
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            Decoded {
                text: String::from_utf8_lossy(e.as_bytes()).into_owned(),
                encoding: Encoding::Utf8,
                first_bad: Some(at),
            }
        }
    }
}

/// Decodes UTF-16 `body` (after its byte-order mark) with `char::decode_utf16`.
fn decode_utf16(body: &[u8], encoding: Encoding) -> Decoded {
    let units = body.chunks(2).map(|pair| match (encoding, pair) {
        (Encoding::Utf16Be, [hi, lo]) => u16::from_be_bytes([*hi, *lo]),
        (_, [lo, hi]) => u16::from_le_bytes([*lo, *hi]),
        // An odd trailing byte is not UTF-16: an unpaired surrogate decodes as invalid.
        _ => 0xD800,
    });
    let mut text = String::with_capacity(body.len());
    let mut first_bad = None;
    for c in char::decode_utf16(units) {
        if let Ok(c) = c {
            text.push(c);
        } else {
            first_bad.get_or_insert(text.len());
            text.push(char::REPLACEMENT_CHARACTER);
        }
    }
    Decoded {
        text,
        encoding,
        first_bad,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    /// A FIFO is refused at once (it blocked `open` until a writer came), a directory too.
    #[cfg(unix)]
    #[test]
    fn a_fifo_or_a_directory_is_not_read() {
        let dir = std::env::temp_dir().join(format!("wa-lint-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("t.yaml");
        let _ = std::fs::remove_file(&fifo);
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        for path in [&fifo, &dir] {
            let refused = read_text(path, 1 << 20).err().map(|e| match e {
                ReadError::Io(e) => e.to_string(),
                ReadError::TooLarge(n) => format!("too large: {n}"),
            });
            assert_eq!(
                refused.as_deref(),
                Some("not a regular file"),
                "{}",
                path.display()
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn decodes_utf8_with_and_without_bom() {
        let d = decode(b"\xEF\xBB\xBFa: 1\n".to_vec());
        assert_eq!(
            (d.text.as_str(), d.encoding, d.first_bad),
            ("a: 1\n", Encoding::Utf8, None)
        );
        let d = decode(b"ab\xFFc".to_vec());
        assert_eq!((d.text.as_str(), d.first_bad), ("ab\u{FFFD}c", Some(2)));
    }

    #[test]
    fn decodes_utf16_in_both_orders() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("hé".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("hé".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(le).text, "hé");
        let d = decode(be);
        assert_eq!((d.text.as_str(), d.encoding), ("hé", Encoding::Utf16Be));
        // An odd trailing byte is invalid, at the offset it decodes to.
        let d = decode(vec![0xFF, 0xFE, b'a', 0, b'b']);
        assert_eq!((d.text.as_str(), d.first_bad), ("a\u{FFFD}", Some(1)));
    }
}
