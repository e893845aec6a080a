//! Stored documents (REFERENCE.md §6A): files attached to records, each with one or more
//! versions. A version's bytes are kept as they came — the chunks the upload arrived in — and
//! are sent back the same way, never gathered into one buffer.

use std::collections::HashMap;
use std::io::Write;

use bytes::Bytes;
use serde_json::{Map, Value, json};

use crate::dataset::DocumentSeed;

/// One version of a document.
#[derive(Debug, Clone)]
pub struct Version {
    /// `v1`, `v2`, ... (the docs name the `version` query parameter but not its values; the
    /// emulator's choice).
    pub name: String,
    pub file_name: String,
    pub content_type: String,
    pub size: u64,
    pub chunks: Vec<Bytes>,
    pub created_at: String,
    pub created_by: String,
}

/// A document and its versions; the last version is the current one.
#[derive(Debug, Clone)]
pub struct Document {
    pub id: String,
    pub tenant: String,
    pub project: Option<String>,
    pub module: Option<String>,
    pub record_id: Option<String>,
    pub meta: Value,
    /// `linkedRefID`, `groupID`, `folderID`, `scope`: kept as sent, shown in the upload answer.
    pub extra: Map<String, Value>,
    pub versions: Vec<Version>,
    /// The stored file is gone (a dataset can say so): downloads answer
    /// `errors.error_document_file_missing`.
    pub missing: bool,
}

impl Document {
    pub fn latest(&self) -> &Version {
        self.versions.last().expect("a document has at least one version")
    }

    /// The version named `name`, or the current one.
    pub fn version(&self, name: Option<&str>) -> Option<&Version> {
        match name {
            Some(n) => self.versions.iter().find(|v| v.name == n),
            None => self.versions.last(),
        }
    }

    /// Where the file lives on the platform's storage (the emulator's choice of shape).
    pub fn location_path(&self, v: &Version) -> String {
        format!("{}/{}/documents/{}/{}/{}", self.tenant, self.project.as_deref().unwrap_or("tenant"), self.id, v.name, v.file_name)
    }

    /// The document's entry in the upload answer: `{documentId, locationPath, fileName,
    /// fileSize, meta}` (documented) plus `version`, `contentType` and what was attached.
    pub fn summary(&self, v: &Version) -> Value {
        let mut m = Map::new();
        m.insert("documentId".into(), json!(self.id));
        m.insert("locationPath".into(), json!(self.location_path(v)));
        m.insert("fileName".into(), json!(v.file_name));
        m.insert("fileSize".into(), json!(v.size));
        m.insert("meta".into(), self.meta.clone());
        m.insert("version".into(), json!(v.name));
        m.insert("contentType".into(), json!(v.content_type));
        if let Some(module) = &self.module {
            m.insert("module".into(), json!(module));
            m.insert("ID".into(), json!(self.record_id));
        }
        for (k, val) in &self.extra {
            m.insert(k.clone(), val.clone());
        }
        Value::Object(m)
    }
}

/// The documents of one tenant.
#[derive(Debug, Clone, Default)]
pub struct Documents {
    pub docs: Vec<Document>,
    by_id: HashMap<String, usize>,
}

impl Documents {
    pub fn add(&mut self, doc: Document) {
        self.by_id.insert(doc.id.clone(), self.docs.len());
        self.docs.push(doc);
    }

    /// The document `id` as seen from `project` (a document of another project is not found).
    pub fn get_mut(&mut self, id: &str, project: &str) -> Option<&mut Document> {
        let pos = *self.by_id.get(id)?;
        self.docs.get_mut(pos).filter(|d| d.project.as_deref() == Some(project))
    }

    pub fn get(&self, id: &str, project: &str) -> Option<&Document> {
        let pos = *self.by_id.get(id)?;
        self.docs.get(pos).filter(|d| d.project.as_deref() == Some(project))
    }

    /// Documents attached to record `record_id` of `module` in `project`, oldest first.
    pub fn of_record(&self, module: &str, record_id: &str, project: &str) -> Vec<&Document> {
        self.docs
            .iter()
            .filter(|d| d.project.as_deref() == Some(project) && d.record_id.as_deref() == Some(record_id))
            .filter(|d| d.module.as_deref().is_some_and(|m| m.eq_ignore_ascii_case(module)))
            .collect()
    }
}

/// `size` bytes of the seed pattern: byte `i` is `i % 251`.
pub fn pattern(size: usize) -> Bytes {
    Bytes::from((0..size).map(|i| (i % 251) as u8).collect::<Vec<u8>>())
}

fn seed_content(text: &Option<String>, size: Option<usize>) -> Bytes {
    match (text, size) {
        (Some(t), _) => Bytes::from(t.clone().into_bytes()),
        (None, Some(n)) => pattern(n),
        (None, None) => Bytes::new(),
    }
}

/// A document from its dataset seed; `record_id` is the seed's record, already resolved.
pub fn from_seed(seed: &DocumentSeed, id: String, tenant: &str, record_id: Option<String>, now: &str) -> Document {
    let content_type = seed.content_type.clone().unwrap_or_else(|| "application/octet-stream".into());
    let contents: Vec<Bytes> = if seed.versions.is_empty() {
        vec![seed_content(&seed.text, seed.size)]
    } else {
        seed.versions.iter().map(|v| seed_content(&v.text, v.size)).collect()
    };
    let versions = contents
        .into_iter()
        .enumerate()
        .map(|(i, bytes)| Version {
            name: format!("v{}", i + 1),
            file_name: seed.file_name.clone(),
            content_type: content_type.clone(),
            size: bytes.len() as u64,
            chunks: vec![bytes],
            created_at: now.to_string(),
            created_by: "admin@exto360.com".into(),
        })
        .collect();
    Document {
        id,
        tenant: tenant.to_string(),
        project: seed.project_id.clone(),
        module: seed.module.clone(),
        record_id,
        meta: seed.meta.clone().unwrap_or_else(|| json!({})),
        extra: Map::new(),
        versions,
        missing: seed.missing,
    }
}

/// A zip of the current version of each document (stored, not compressed: the entries are the
/// files as they came). Entry names are the file names; a name seen before gets ` (2)`, ` (3)`...
/// before its extension.
pub fn zip(docs: &[&Document]) -> Result<Vec<u8>, String> {
    use zip::write::SimpleFileOptions;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut seen: HashMap<String, usize> = HashMap::new();
    for d in docs {
        let v = d.latest();
        let n = seen.entry(v.file_name.clone()).or_insert(0);
        *n += 1;
        let name = if *n == 1 {
            v.file_name.clone()
        } else {
            match v.file_name.rsplit_once('.') {
                Some((stem, ext)) => format!("{stem} ({n}).{ext}"),
                None => format!("{} ({n})", v.file_name),
            }
        };
        let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored).large_file(v.size >= u32::MAX as u64);
        w.start_file(name, opts).map_err(|e| e.to_string())?;
        for c in &v.chunks {
            w.write_all(c).map_err(|e| e.to_string())?;
        }
    }
    w.finish().map(|c| c.into_inner()).map_err(|e| e.to_string())
}
