-- 0009 covering indexes for the status report's "as of the day" reads: the open milestones on a
-- day are the latest event per milestone and the first later move per milestone, each read in
-- one pass; with the state and the old date in the index neither pass reads the table (at
-- 50,000 milestones the open milestones took 0.5 s, measured with bench/).

-- each one starts with the columns of the index it replaces, so every earlier use still has it
DROP INDEX milestone_event_milestone;
CREATE INDEX milestone_event_milestone ON milestone_event(milestone_id, date, kind);
DROP INDEX milestone_move_milestone;
CREATE INDEX milestone_move_milestone ON milestone_move(milestone_id, moved_on, old_due);

-- "changes since" counts the changes per command (recorded_at) in the window: with the window
-- and the amounts in the index the count reads it in order instead of sorting the table (at L,
-- 200,000 imported savings lines took 0.3 s); the single changes are looked up by recorded_at
DROP INDEX saving_version_recorded;
CREATE INDEX saving_version_recorded ON saving_version(recorded_at, valid_from, realised, amount);
