-- 0006: one row per Decidim/Consul file the participation importer stored, so an unchanged file is
-- skipped at the next `observatory import` (same bytes, same importer code, same options, and its rows
-- still in the database) instead of being parsed and written again. Written in the transaction that
-- writes the file's rows: a file that fails keeps its previous row here, and is retried at every run.

CREATE TABLE participation_files (
    source_label     VARCHAR PRIMARY KEY,   -- 'folder/file.csv' or 'archive.zip!member.csv'; rows carry 'file:<label>'
    sha256           VARCHAR NOT NULL,      -- of the file's bytes (of the member's, for a ZIP)
    importer_version VARCHAR NOT NULL,      -- fingerprint of the parsing code: a code change re-imports
    platform_option  VARCHAR,               -- 'decidim' | 'consul' as asked on the command line; NULL = any
    instance_option  VARCHAR,               -- --instance as given; NULL = read from the file
    export_kind      VARCHAR NOT NULL,      -- e.g. 'consul/proposals'
    instance_id      VARCHAR NOT NULL,
    rows_read        INTEGER NOT NULL,
    bad_rows         INTEGER NOT NULL,      -- rows skipped in lenient mode (a strict run re-checks the file)
    written          JSON NOT NULL,         -- rows written per table: a skip first checks they are all still there
    imported_at      TIMESTAMP NOT NULL
);

INSERT INTO table_meta (table_name, package, title, description, licence, source, checked_on, loaded_at) VALUES
    ('participation_files', 'participation', 'Imported participation files',
     'One row per imported Decidim/Consul file: sha256, importer version and options, so unchanged files are skipped.',
     NULL, 'observatory import', NULL, NULL);
