-- 0012 drops saving_version_flow (migration 10). The savings report reads the per-project
-- effects only for the projects it lists (200 at most, by project id: saving_version_project
-- serves that, and sorts a few thousand lines), so the flow index no longer pays for itself:
-- it was updated on every saving written, and built again by every large import (a quarter of
-- a second at 200,000 lines). Same output; `report savings` at L 0.22 s with it, 0.23 s without.
DROP INDEX saving_version_flow;
