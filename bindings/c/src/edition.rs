//! The C functions of the current edition of the API: updates and deletes of records,
//! `/expand`, sub-table reads and deletes, hierarchy masters, workflow v2, build info. Same
//! conventions as every other function (see the header's preamble); each is one operation of
//! `exto360::json`.

use std::ffi::c_char;

use serde_json::{Value, json};

use super::{exto360_client, exto360_error, exto360_pager, exto360_status, guard, json_arg, run, start_pager, text, with};

/// The server build's metadata (`GET /build/info`, [V] §1.3).
/// @param out_json receives `{"name", "version", "branch", "commit", "date"}`; free it with
///   exto360_string_free().
/// @param err receives an error on failure (free with exto360_error_free()); may be NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_build_info(client: *const exto360_client, out_json: *mut *mut c_char, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || run(client, "build.info", json!({}), out_json))
}

/// Updates any number of master records, 1000 per request (retried like a read).
/// @param records_json a JSON array of objects, each naming its record by `key` and carrying
///   the fields to change; `_id` is refused.
/// @param key "refId" or "recordNumber": how records are named (the docs disagree).
/// @param out_json receives `{"insertedIds", "insertedCount", "updatedCount"}` (`updatedCount`:
///   records found); free with exto360_string_free(). On failure the error's JSON has `bulk`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_masters_update(client: *const exto360_client, name: *const c_char, records_json: *const c_char, key: *const c_char, out_json: *mut *mut c_char, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || {
        let records = json_arg(records_json, "records_json", Value::Null)?;
        run(client, "masters.update", json!({ "name": text(name, "name")?, "records": records, "key": text(key, "key")? }), out_json)
    })
}

/// Deletes any number of master records named by `key`, acting as `user_name`, 1000 per request.
/// A user without the delete permission fails with EXTO360_FORBIDDEN (the API answers 200 with
/// `"success": false`). A retry that finds nothing left to delete counts as deleted.
/// @param ids_json a JSON array of refIds or recordNumbers (as `key` says).
/// @param out_json receives `{"deletedCount"}`; free with exto360_string_free().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_masters_delete(client: *const exto360_client, name: *const c_char, ids_json: *const c_char, key: *const c_char, user_name: *const c_char, out_json: *mut *mut c_char, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || {
        let ids = json_arg(ids_json, "ids_json", Value::Null)?;
        let args = json!({ "name": text(name, "name")?, "ids": ids, "key": text(key, "key")?, "userName": text(user_name, "user_name")? });
        run(client, "masters.delete", args, out_json)
    })
}

/// Like exto360_masters_update for module records, acting as `user_name`.
/// @param out_json receives the merged result; free with exto360_string_free().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_modules_update(client: *const exto360_client, name: *const c_char, records_json: *const c_char, key: *const c_char, user_name: *const c_char, out_json: *mut *mut c_char, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || {
        let records = json_arg(records_json, "records_json", Value::Null)?;
        let args = json!({ "name": text(name, "name")?, "records": records, "key": text(key, "key")?, "userName": text(user_name, "user_name")? });
        run(client, "modules.update", args, out_json)
    })
}

/// Like exto360_masters_delete for module records (the API answers 404 when none matches).
/// @param out_json receives `{"deletedCount"}`; free with exto360_string_free().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_modules_delete(client: *const exto360_client, name: *const c_char, ids_json: *const c_char, key: *const c_char, user_name: *const c_char, out_json: *mut *mut c_char, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || {
        let ids = json_arg(ids_json, "ids_json", Value::Null)?;
        let args = json!({ "name": text(name, "name")?, "ids": ids, "key": text(key, "key")?, "userName": text(user_name, "user_name")? });
        run(client, "modules.delete", args, out_json)
    })
}

/// Starts reading module records with all their sub-table rows (`/expand`). Each
/// exto360_pager_next() gives ONE record: the document with `"subTableData": {"<tableID>":
/// {"total", "rows": [...]}}`, every row read (page by page, the record held once).
/// @param args_json `{"recordIds", "page", "pageSize" (≤ 100), "fields", "subTableFields",
///   "subTablePageSize" (≤ 100), "query"}` (any subset; NULL = every record).
/// @param out receives the pager; free it with exto360_pager_free().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_modules_expand(client: *const exto360_client, name: *const c_char, args_json: *const c_char, out: *mut *mut exto360_pager, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || start_pager(client, "modules.expand", with(json_arg(args_json, "args_json", json!({}))?, json!({ "name": text(name, "name")? }))?, out))
}

/// One page of the rows of a record's sub-table.
/// @param args_json `{"moduleName", "recordId"` (required)`, "page", "pageSize"}`.
/// @param out_json receives `{"rows": [...], "total", "page", "pageSize", "totalPages"}`; free
///   with exto360_string_free().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_sub_table_list(client: *const exto360_client, table_id: *const c_char, args_json: *const c_char, out_json: *mut *mut c_char, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || run(client, "subTable.list", with(json_arg(args_json, "args_json", json!({}))?, json!({ "tableId": text(table_id, "table_id")? }))?, out_json))
}

/// Starts iterating every row of a record's sub-table (args as exto360_sub_table_list).
/// @param out receives the pager; free it with exto360_pager_free().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_sub_table_iter(client: *const exto360_client, table_id: *const c_char, args_json: *const c_char, out: *mut *mut exto360_pager, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || start_pager(client, "subTable.iter", with(json_arg(args_json, "args_json", json!({}))?, json!({ "tableId": text(table_id, "table_id")? }))?, out))
}

/// Deletes rows of a record's sub-table by `recordNumber`, 1000 per request.
/// @param record_numbers_json a JSON array of strings.
/// @param out_json receives `{"deletedCount"}`; free with exto360_string_free().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_sub_table_delete(client: *const exto360_client, table_id: *const c_char, record_numbers_json: *const c_char, module_name: *const c_char, record_id: *const c_char, out_json: *mut *mut c_char, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || {
        let numbers = json_arg(record_numbers_json, "record_numbers_json", Value::Null)?;
        let args = json!({ "tableId": text(table_id, "table_id")?, "recordNumbers": numbers, "moduleName": text(module_name, "module_name")?, "recordId": text(record_id, "record_id")? });
        run(client, "subTable.delete", args, out_json)
    })
}

/// One page of a hierarchy master's rows (with `sys_rowID`, `sys_parentRowID`, `sys_path`).
/// @param args_json `{"page", "pageSize"}` or NULL.
/// @param out_json receives the page; free with exto360_string_free().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_hierarchy_list(client: *const exto360_client, name: *const c_char, args_json: *const c_char, out_json: *mut *mut c_char, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || run(client, "hierarchy.list", with(json_arg(args_json, "args_json", json!({}))?, json!({ "name": text(name, "name")? }))?, out_json))
}

/// Starts iterating every row of a hierarchy master. `args_json`: `{"pageSize"}` or NULL.
/// @param out receives the pager; free it with exto360_pager_free().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_hierarchy_iter(client: *const exto360_client, name: *const c_char, args_json: *const c_char, out: *mut *mut exto360_pager, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || start_pager(client, "hierarchy.iter", with(json_arg(args_json, "args_json", json!({}))?, json!({ "name": text(name, "name")? }))?, out))
}

/// Creates hierarchy rows (a JSON array of objects, optionally with `sys_rowID` and
/// `sys_parentRowID`), 1000 per request, one request after another.
/// @param out_json receives `{"insertedIds", "insertedCount", "updatedCount"}`; free with
///   exto360_string_free().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_hierarchy_create(client: *const exto360_client, name: *const c_char, rows_json: *const c_char, out_json: *mut *mut c_char, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || run(client, "hierarchy.create", json!({ "name": text(name, "name")?, "rows": json_arg(rows_json, "rows_json", Value::Null)? }), out_json))
}

/// Updates hierarchy rows named by `sys_rowID` (a new `sys_parentRowID` moves the row).
/// @param out_json receives the merged result; free with exto360_string_free().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_hierarchy_update(client: *const exto360_client, name: *const c_char, rows_json: *const c_char, out_json: *mut *mut c_char, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || run(client, "hierarchy.update", json!({ "name": text(name, "name")?, "rows": json_arg(rows_json, "rows_json", Value::Null)? }), out_json))
}

/// One page of the v2 workflow list (the client must be scoped to a project).
/// @param args_json `{"page", "pageSize" (≤ 100), "recordNumber", "status", "responsibleUser",
///   "responsibleGroup", "filter"}` (a string in the v2 DSL, or a filter object); NULL = page 1.
/// @param out_json receives the page; free with exto360_string_free().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_workflow_list(client: *const exto360_client, module: *const c_char, args_json: *const c_char, out_json: *mut *mut c_char, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || run(client, "workflow.list", with(json_arg(args_json, "args_json", json!({}))?, json!({ "module": text(module, "module")? }))?, out_json))
}

/// Starts iterating the v2 workflow list (args as exto360_workflow_list).
/// @param out receives the pager; free it with exto360_pager_free().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_workflow_iter(client: *const exto360_client, module: *const c_char, args_json: *const c_char, out: *mut *mut exto360_pager, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || start_pager(client, "workflow.iter", with(json_arg(args_json, "args_json", json!({}))?, json!({ "module": text(module, "module")? }))?, out))
}

/// The workflow step history of one record.
/// @param out_json receives the API's answer; free with exto360_string_free().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_workflow_history(client: *const exto360_client, module: *const c_char, record_number: *const c_char, out_json: *mut *mut c_char, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || run(client, "workflow.history", json!({ "module": text(module, "module")?, "recordNumber": text(record_number, "record_number")? }), out_json))
}

/// Takes a v2 workflow action on one record. Not retried after a 5xx unless `retryWrites`.
/// @param step "create", "submit", "return", "reopen" or "revision".
/// @param record_id the record's `_id` or `recordNumber`.
/// @param args_json `{"userName" (required), "actionName" (required except for revision),
///   "spaceName" (required in a project scope), "assignee": {"users", "groups"}, "comment":
///   {"text", "isPrivate"}}`.
/// @param out_json receives the API's answer; free with exto360_string_free().
#[unsafe(no_mangle)]
pub unsafe extern "C" fn exto360_workflow_transition(client: *const exto360_client, module: *const c_char, step: *const c_char, record_id: *const c_char, args_json: *const c_char, out_json: *mut *mut c_char, err: *mut *mut exto360_error) -> exto360_status {
    guard(err, || {
        let extra = json!({ "module": text(module, "module")?, "step": text(step, "step")?, "recordId": text(record_id, "record_id")? });
        run(client, "workflow.transition", with(json_arg(args_json, "args_json", json!({}))?, extra)?, out_json)
    })
}
