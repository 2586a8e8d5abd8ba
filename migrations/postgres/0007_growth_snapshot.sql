-- The training dashboard keeps a snapshot of a period in server memory while
-- this counter is unchanged; every table the snapshot reads moves it.
-- PostgreSQL twin of migrations/sqlite/0007_growth_snapshot.sql: same trigger
-- names, FOR EACH ROW, all calling change_counters_bump() from 0005.
INSERT INTO change_counters (name, value) VALUES ('growth', 0);
CREATE TRIGGER growth_changed_plan_items_insert AFTER INSERT ON plan_items
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_plan_items_update AFTER UPDATE ON plan_items
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_plan_items_delete AFTER DELETE ON plan_items
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_plans_insert AFTER INSERT ON plans
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_plans_update AFTER UPDATE ON plans
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_plans_delete AFTER DELETE ON plans
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_budgets_insert AFTER INSERT ON budgets
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_budgets_update AFTER UPDATE ON budgets
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_budgets_delete AFTER DELETE ON budgets
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_person_levels_insert AFTER INSERT ON person_levels
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_person_levels_update AFTER UPDATE ON person_levels
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_person_levels_delete AFTER DELETE ON person_levels
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_ratings_insert AFTER INSERT ON ratings
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_ratings_update AFTER UPDATE ON ratings
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_ratings_delete AFTER DELETE ON ratings
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_expectations_insert AFTER INSERT ON expectations
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_expectations_update AFTER UPDATE ON expectations
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_expectations_delete AFTER DELETE ON expectations
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_competencies_insert AFTER INSERT ON competencies
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_competencies_update AFTER UPDATE ON competencies
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_competencies_delete AFTER DELETE ON competencies
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_levels_insert AFTER INSERT ON levels
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_levels_update AFTER UPDATE ON levels
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_levels_delete AFTER DELETE ON levels
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_tracks_insert AFTER INSERT ON tracks
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_tracks_update AFTER UPDATE ON tracks
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_tracks_delete AFTER DELETE ON tracks
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_users_insert AFTER INSERT ON users
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_users_delete AFTER DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_users_update AFTER UPDATE OF display_name, team_id, active ON users
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_teams_insert AFTER INSERT ON teams
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_teams_delete AFTER DELETE ON teams
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
CREATE TRIGGER growth_changed_teams_update AFTER UPDATE OF name, parent_id ON teams
    FOR EACH ROW EXECUTE FUNCTION change_counters_bump('growth');
