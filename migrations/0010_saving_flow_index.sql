-- 0010 an index for the savings report's effect per project: its lines are summed per project and
-- start year (the year, or the from-year of a recurring line), with the service area and the
-- realised part beside the whole. In this order, covering every column the sum reads, SQLite
-- streams the index instead of sorting 200,000 lines at L (bench/: `report savings` at L).
CREATE INDEX saving_version_flow ON saving_version(project_id, coalesce(year, from_year), year,
    from_year, area, stage, amount, realised, attribution, valid_from, valid_to);

-- and one for the price levels a report meets (figures.scope, in every savings picture): each
-- distinct level is found by a seek and checked for a line in force, instead of a DISTINCT over
-- every line (a scan of 200,000 at L for the status report too)
CREATE INDEX saving_version_level ON saving_version(price_level, year, from_year, valid_from,
    valid_to, project_id);
