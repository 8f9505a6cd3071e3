-- 0005 covering indexes for the reports: the savings sums are grouped in SQL, and with the
-- columns in GROUP BY order SQLite reads these narrow indexes in order instead of sorting the
-- table (measured with bench/: 200,000 savings lines).

-- they also serve the foreign keys, so the single-column indexes of 0003 go
DROP INDEX saving_project;
DROP INDEX saving_department;
CREATE INDEX saving_totals ON saving(department_id, area, stage, year, from_year, price_level, amount, code);
CREATE INDEX saving_by_project ON saving(project_id, stage, year, from_year, area, price_level, amount, code);
CREATE INDEX investment_by_project ON investment(project_id, year, price_level, amount, code);
