-- 0011 a journal row may hold a batch: the records one bulk insert (an import) added to one
-- table, with ids entity_id … entity_id + batch - 1 and their states in `after` as
-- {"columns": [...], "rows": [[...], ...]}. A 200,000-line import wrote 400,000 journal rows
-- of a few hundred bytes, each with its keys spelled out; in batches of up to 1,000 it writes
-- 400, and a third of the bytes. Single changes keep one row each (batch IS NULL), and every
-- row, batch or not, is chained by its hash as before (store/write.py, store/batches.py).
ALTER TABLE journal ADD COLUMN batch INTEGER CHECK (batch IS NULL OR batch BETWEEN 1 AND 1000);
CREATE INDEX journal_batch ON journal(entity, entity_id) WHERE batch IS NOT NULL;
