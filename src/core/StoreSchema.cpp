// The database schema as an ordered list of migrations. Never edit a released step: add a new one.
#include "Store.h"

namespace halospot::core {

namespace {

// Steps that rebuild a table must not rely on PRAGMA foreign_keys: it cannot change inside the
// migration's transaction. Use PRAGMA defer_foreign_keys or create-copy-drop-rename instead.
QList<Migration> buildMigrations()
{
    QList<Migration> list;

    // 1: settings, links, and run history.
    list.append(Migration{
        1,
        {
            QStringLiteral("CREATE TABLE settings ("
                           " key TEXT PRIMARY KEY NOT NULL,"
                           " value TEXT NOT NULL)"),
            QStringLiteral(
                "CREATE TABLE links ("
                " id INTEGER PRIMARY KEY,"
                " entity TEXT NOT NULL CHECK (entity IN ('company', 'contact')),"
                " hubspot_id TEXT NOT NULL,"
                " halo_id INTEGER NOT NULL,"
                " base TEXT NOT NULL DEFAULT '{}'," // JSON: last values both sides agreed on
                " synced_at TEXT NOT NULL,"
                " UNIQUE (entity, hubspot_id))"),
            QStringLiteral("CREATE INDEX links_by_halo_id ON links (entity, halo_id)"),
            QStringLiteral("CREATE TABLE runs ("
                           " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                           " kind TEXT NOT NULL,"
                           " dry_run INTEGER NOT NULL DEFAULT 0 CHECK (dry_run IN (0, 1)),"
                           " status TEXT NOT NULL DEFAULT 'running',"
                           " started_at TEXT NOT NULL,"
                           " finished_at TEXT,"
                           " counts TEXT NOT NULL DEFAULT '{}')"),
            QStringLiteral("CREATE INDEX runs_by_start ON runs (started_at)"),
            QStringLiteral("CREATE TABLE run_items ("
                           " id INTEGER PRIMARY KEY,"
                           " run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,"
                           " entity TEXT NOT NULL CHECK (entity IN ('company', 'contact')),"
                           " hubspot_id TEXT NOT NULL,"
                           " halo_id INTEGER,"
                           " action TEXT NOT NULL,"
                           " reason TEXT NOT NULL DEFAULT '',"
                           " changes TEXT NOT NULL DEFAULT '{}')"),
            QStringLiteral("CREATE INDEX run_items_by_run ON run_items (run_id, id)"),
        }});

    // 2: what the admin configures, and the intent journal that prevents duplicates.
    list.append(Migration{
        2,
        {
            QStringLiteral("CREATE TABLE lifecycle_stages ("
                           " entity TEXT NOT NULL CHECK (entity IN ('company', 'contact')),"
                           " value TEXT NOT NULL," // HubSpot's internal value; '' = (no stage)
                           " label TEXT NOT NULL DEFAULT '',"
                           " selected INTEGER NOT NULL DEFAULT 0 CHECK (selected IN (0, 1)),"
                           " position INTEGER NOT NULL DEFAULT 0,"
                           " PRIMARY KEY (entity, value))"),
            QStringLiteral("CREATE TABLE customer_mappings ("
                           " hubspot_company_id TEXT PRIMARY KEY NOT NULL," // mapped at most once
                           " halo_client_id INTEGER NOT NULL,"
                           " halo_site_id INTEGER,"
                           " position INTEGER NOT NULL DEFAULT 0)"),
            QStringLiteral("CREATE INDEX customer_mappings_by_client"
                           " ON customer_mappings (halo_client_id)"),
            QStringLiteral("CREATE TABLE field_mappings ("
                           " id INTEGER PRIMARY KEY,"
                           " entity TEXT NOT NULL CHECK (entity IN ('company', 'contact')),"
                           " hubspot_property TEXT NOT NULL,"
                           " halo_field_id INTEGER,"
                           " halo_field_name TEXT,"
                           " sync_back INTEGER NOT NULL DEFAULT 0 CHECK (sync_back IN (0, 1)),"
                           " position INTEGER NOT NULL DEFAULT 0,"
                           " CHECK (halo_field_id IS NOT NULL OR halo_field_name IS NOT NULL))"),
            QStringLiteral(
                "CREATE INDEX field_mappings_by_entity ON field_mappings (entity, position)"),
            QStringLiteral("CREATE TABLE pending_writes ("
                           " id INTEGER PRIMARY KEY,"
                           " run_id INTEGER REFERENCES runs (id) ON DELETE SET NULL,"
                           " batch_id TEXT NOT NULL,"
                           " target TEXT NOT NULL CHECK (target IN ('halo', 'hubspot')),"
                           " entity TEXT NOT NULL CHECK (entity IN ('company', 'contact')),"
                           " source_id TEXT NOT NULL,"
                           " natural_key TEXT NOT NULL DEFAULT '',"
                           " payload TEXT NOT NULL DEFAULT '{}',"
                           " created_at TEXT NOT NULL,"
                           " UNIQUE (target, entity, source_id))"),
            QStringLiteral("CREATE INDEX pending_writes_by_batch ON pending_writes (batch_id)"),
        }});

    // 3: sync cursors and the caches behind the searchable pickers.
    list.append(Migration{
        3,
        {
            QStringLiteral("CREATE TABLE cursors ("
                           " name TEXT PRIMARY KEY NOT NULL,"
                           " value TEXT NOT NULL,"
                           " updated_at TEXT NOT NULL)"),
            QStringLiteral("CREATE TABLE hubspot_companies_cache ("
                           " hubspot_id TEXT PRIMARY KEY NOT NULL,"
                           " name TEXT NOT NULL DEFAULT '',"
                           " normalized_name TEXT NOT NULL DEFAULT '',"
                           " domain TEXT NOT NULL DEFAULT '',"
                           " fetched_at TEXT NOT NULL)"),
            QStringLiteral("CREATE INDEX hubspot_companies_cache_by_name"
                           " ON hubspot_companies_cache (normalized_name)"),
            QStringLiteral("CREATE TABLE halo_customers_cache ("
                           " halo_id INTEGER PRIMARY KEY,"
                           " name TEXT NOT NULL DEFAULT '',"
                           " normalized_name TEXT NOT NULL DEFAULT '',"
                           " inactive INTEGER NOT NULL DEFAULT 0 CHECK (inactive IN (0, 1)),"
                           " fetched_at TEXT NOT NULL)"),
            QStringLiteral("CREATE INDEX halo_customers_cache_by_name"
                           " ON halo_customers_cache (normalized_name)"),
            QStringLiteral("CREATE TABLE halo_sites_cache ("
                           " halo_id INTEGER PRIMARY KEY,"
                           " client_id INTEGER NOT NULL"
                           "  REFERENCES halo_customers_cache (halo_id) ON DELETE CASCADE,"
                           " name TEXT NOT NULL DEFAULT '',"
                           " fetched_at TEXT NOT NULL)"),
            QStringLiteral(
                "CREATE INDEX halo_sites_cache_by_client ON halo_sites_cache (client_id)"),
            QStringLiteral("CREATE TABLE halo_fields_cache ("
                           " halo_id INTEGER PRIMARY KEY,"
                           " entity TEXT NOT NULL CHECK (entity IN ('company', 'contact')),"
                           " name TEXT NOT NULL," // e.g. CFindustry
                           " label TEXT NOT NULL DEFAULT '',"
                           " type INTEGER NOT NULL,"
                           " input_type INTEGER,"
                           " fetched_at TEXT NOT NULL)"),
            QStringLiteral(
                "CREATE INDEX halo_fields_cache_by_entity ON halo_fields_cache (entity, name)"),
        }});

    // 4: the picker caches in the shape the catalog (core::Catalog) needs. The version 3 cache
    // tables were never filled, so they are rebuilt rather than altered. Every row list carries a
    // generation: a refresh writes the next generation beside the current one and switches over
    // in one transaction at the end, so readers see the old copy until the new one is complete
    // and a refresh that fails half-way leaves the old copy in place. Sites no longer reference
    // customers: the two lists are refreshed separately, page by page.
    list.append(Migration{
        4,
        {
            QStringLiteral("DROP TABLE halo_sites_cache"),
            QStringLiteral("DROP TABLE halo_customers_cache"),
            QStringLiteral("DROP TABLE hubspot_companies_cache"),
            QStringLiteral("DROP TABLE halo_fields_cache"),
            // One row per cached list: which generation readers see, which one a refresh is
            // writing, when the list was last completed, and the small lists themselves (JSON).
            QStringLiteral("CREATE TABLE catalog_lists ("
                           " list TEXT PRIMARY KEY NOT NULL,"
                           " generation INTEGER NOT NULL DEFAULT 0,"
                           " pending_generation INTEGER,"
                           " refreshed_at TEXT,"
                           " items TEXT NOT NULL DEFAULT '[]')"),
            QStringLiteral("INSERT INTO catalog_lists (list) VALUES ('companies'), ('customers'),"
                           " ('sites'), ('company_properties'), ('contact_properties'),"
                           " ('customer_fields'), ('user_fields'), ('lifecycle_stages')"),
            QStringLiteral("CREATE TABLE hubspot_companies_cache ("
                           " generation INTEGER NOT NULL,"
                           " hubspot_id TEXT NOT NULL,"
                           " name TEXT NOT NULL DEFAULT '',"
                           " normalized_name TEXT NOT NULL DEFAULT '',"
                           " domain TEXT NOT NULL DEFAULT ''," // lower case
                           " lifecycle_stage TEXT NOT NULL DEFAULT '',"
                           " PRIMARY KEY (generation, hubspot_id))"),
            QStringLiteral("CREATE INDEX hubspot_companies_cache_by_name"
                           " ON hubspot_companies_cache (generation, normalized_name, hubspot_id)"),
            QStringLiteral("CREATE INDEX hubspot_companies_cache_by_domain"
                           " ON hubspot_companies_cache (generation, domain, hubspot_id)"),
            QStringLiteral("CREATE TABLE halo_customers_cache ("
                           " generation INTEGER NOT NULL,"
                           " halo_id INTEGER NOT NULL,"
                           " name TEXT NOT NULL DEFAULT '',"
                           " normalized_name TEXT NOT NULL DEFAULT '',"
                           " inactive INTEGER NOT NULL DEFAULT 0 CHECK (inactive IN (0, 1)),"
                           " PRIMARY KEY (generation, halo_id))"),
            QStringLiteral("CREATE INDEX halo_customers_cache_by_name"
                           " ON halo_customers_cache (generation, normalized_name, halo_id)"),
            QStringLiteral("CREATE TABLE halo_sites_cache ("
                           " generation INTEGER NOT NULL,"
                           " halo_id INTEGER NOT NULL,"
                           " client_id INTEGER NOT NULL,"
                           " name TEXT NOT NULL DEFAULT '',"
                           " normalized_name TEXT NOT NULL DEFAULT '',"
                           " PRIMARY KEY (generation, halo_id))"),
            QStringLiteral("CREATE INDEX halo_sites_cache_by_name"
                           " ON halo_sites_cache (generation, normalized_name, halo_id)"),
            QStringLiteral("CREATE INDEX halo_sites_cache_by_client"
                           " ON halo_sites_cache (generation, client_id, normalized_name)"),
            // Custom fields are replaced whole (a few hundred at most); the definition is the
            // field's JSON as HaloFieldDef::toJson writes it.
            QStringLiteral("CREATE TABLE halo_fields_cache ("
                           " entity TEXT NOT NULL CHECK (entity IN ('company', 'contact')),"
                           " halo_id INTEGER NOT NULL,"
                           " label TEXT NOT NULL DEFAULT '',"
                           " definition TEXT NOT NULL DEFAULT '{}',"
                           " PRIMARY KEY (entity, halo_id))"),
            // The run result list filters by action.
            QStringLiteral("CREATE INDEX run_items_by_action ON run_items (run_id, action, id)"),
        }});

    return list;
}

} // namespace

const QList<Migration> &Store::migrations()
{
    static const QList<Migration> list = buildMigrations();
    return list;
}

} // namespace halospot::core
