-- 0005: what the participation research needs beyond 0002.
-- quality_flag marks rows an importer recognised as test or junk entries (e.g. 'test_entry'), so
-- analyses can leave them out while the row itself is kept exactly as published.
ALTER TABLE proposals ADD COLUMN quality_flag VARCHAR;
