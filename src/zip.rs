//! A minimal ZIP writer for "Download all": stored (uncompressed) entries only.
//!
//! The outputs are a few kilobytes of text, so compression would save little
//! and a deflate crate would cost more wasm than these 80 lines. Entries carry
//! a fixed timestamp so that the same outputs give the same bytes.

/// CRC-32 (IEEE 802.3), as ZIP requires.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// 1980-01-01 00:00, the first DOS date: deterministic archives.
const DOS_TIME: u16 = 0;
const DOS_DATE: u16 = (1 << 5) | 1;
/// General purpose flag bit 11: file names are UTF-8.
const UTF8_NAMES: u16 = 1 << 11;

/// A ZIP archive holding `files` (name, content) in order.
pub fn store(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in files {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let size = data.len() as u32;
        let header = |out: &mut Vec<u8>, signature: u32, central: bool| {
            out.extend(signature.to_le_bytes());
            if central {
                out.extend(20u16.to_le_bytes()); // version made by: 2.0
            }
            out.extend(20u16.to_le_bytes()); // version needed: 2.0
            out.extend(UTF8_NAMES.to_le_bytes());
            out.extend(0u16.to_le_bytes()); // method: stored
            out.extend(DOS_TIME.to_le_bytes());
            out.extend(DOS_DATE.to_le_bytes());
            out.extend(crc.to_le_bytes());
            out.extend(size.to_le_bytes()); // compressed
            out.extend(size.to_le_bytes()); // uncompressed
            out.extend((name.len() as u16).to_le_bytes());
            out.extend(0u16.to_le_bytes()); // extra field length
            if central {
                out.extend(0u16.to_le_bytes()); // comment length
                out.extend(0u16.to_le_bytes()); // disk number
                out.extend(0u16.to_le_bytes()); // internal attributes
                out.extend(0o100644u32.wrapping_shl(16).to_le_bytes()); // external: rw-r--r--
                out.extend(offset.to_le_bytes());
            }
            out.extend(name.as_bytes());
        };
        header(&mut out, 0x0403_4b50, false);
        out.extend(*data);
        header(&mut central, 0x0201_4b50, true);
    }
    let central_offset = out.len() as u32;
    let central_size = central.len() as u32;
    out.extend(central);
    out.extend(0x0605_4b50u32.to_le_bytes()); // end of central directory
    out.extend(0u16.to_le_bytes()); // this disk
    out.extend(0u16.to_le_bytes()); // disk with the central directory
    out.extend((files.len() as u16).to_le_bytes());
    out.extend((files.len() as u16).to_le_bytes());
    out.extend(central_size.to_le_bytes());
    out.extend(central_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes()); // comment length
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_of_the_check_string() {
        // The standard check value of CRC-32/ISO-HDLC.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    /// Python's zipfile (written by others) reads the archive back, checks
    /// every CRC and returns the same names and bytes.
    #[test]
    fn python_zipfile_reads_it_back() {
        let files: [(&str, &[u8]); 3] = [
            ("deploy.sh", b"#!/usr/bin/env bash\necho hi\n"),
            ("\u{d55c}.json", "{\"a\": \"\u{7e41}\"}".as_bytes()),
            ("empty", b""),
        ];
        let path = std::env::temp_dir().join(format!("registry-wizard-zip-{}.zip", std::process::id()));
        std::fs::write(&path, store(&files)).unwrap();
        let script = "import sys, zipfile, json\n\
            z = zipfile.ZipFile(sys.argv[1])\n\
            assert z.testzip() is None\n\
            print(json.dumps([[i.filename, z.read(i).decode()] for i in z.infolist()]))";
        let out = std::process::Command::new("python3").args(["-c", script]).arg(&path).output().unwrap();
        std::fs::remove_file(&path).ok();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let read: Vec<(String, String)> = serde_json::from_slice(&out.stdout).unwrap();
        let expected: Vec<(String, String)> =
            files.iter().map(|(n, d)| (n.to_string(), String::from_utf8(d.to_vec()).unwrap())).collect();
        assert_eq!(read, expected);
    }
}
