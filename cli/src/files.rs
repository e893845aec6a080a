//! Files that appear only when complete (a temporary file in the same directory, renamed into
//! place), and small helpers for reading lists of names.

use std::fs::File;
use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::output::Failure;

/// A file written under a temporary name next to its destination and renamed into place by
/// [`AtomicFile::commit`]. Dropped without a commit, the temporary file is removed.
pub struct AtomicFile {
    dest: PathBuf,
    tmp: PathBuf,
    out: Option<BufWriter<File>>,
}

impl AtomicFile {
    pub fn create(dest: &Path) -> Result<AtomicFile, Failure> {
        let tmp = sibling(dest, "tmp");
        let file = File::create(&tmp).map_err(|e| Failure::io(format!("cannot create {}", tmp.display()), e))?;
        Ok(AtomicFile { dest: dest.to_path_buf(), tmp, out: Some(BufWriter::with_capacity(256 * 1024, file)) })
    }

    pub fn writer(&mut self) -> &mut BufWriter<File> {
        self.out.as_mut().expect("an AtomicFile is written only before its commit")
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> Result<(), Failure> {
        let out = self.out.take().expect("committed once");
        let what = || format!("cannot write {}", self.dest.display());
        let file = out.into_inner().map_err(|e| Failure::io(what(), e.into_error()))?;
        file.sync_all().map_err(|e| Failure::io(what(), e))?;
        drop(file);
        std::fs::rename(&self.tmp, &self.dest).map_err(|e| Failure::io(what(), e))?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer().write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.writer().flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.out.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// `dir/.name.<pid>.<suffix>`: a hidden name in the same directory (so a rename is atomic).
pub fn sibling(dest: &Path, suffix: &str) -> PathBuf {
    let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "exto360".into());
    dest.with_file_name(format!(".{name}.{}.{suffix}", std::process::id()))
}

/// Writes `text` to `dest` atomically.
pub fn write_atomic(dest: &Path, text: &[u8]) -> Result<(), Failure> {
    let mut f = AtomicFile::create(dest)?;
    f.writer().write_all(text).map_err(|e| Failure::io(format!("cannot write {}", dest.display()), e))?;
    f.commit()
}

/// Non-empty, trimmed lines of a file, or of stdin for `-` (lists of ids or user names).
pub fn read_lines(path: &Path) -> Result<Vec<String>, Failure> {
    let what = || format!("cannot read {}", path.display());
    let reader: Box<dyn BufRead> = if path == Path::new("-") {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::io::BufReader::new(File::open(path).map_err(|e| Failure::io(what(), e))?))
    };
    let mut out = Vec::new();
    for line in reader.lines() {
        let line = line.map_err(|e| Failure::io(what(), e))?;
        let t = line.trim();
        if !t.is_empty() {
            out.push(t.to_string());
        }
    }
    Ok(out)
}
