-- The training dashboard keeps a snapshot of a period in server memory while
-- this counter is unchanged; every table the snapshot reads moves it.
INSERT INTO change_counters (name, value) VALUES ('growth', 0);
CREATE TRIGGER growth_changed_plan_items_insert AFTER INSERT ON plan_items BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_plan_items_update AFTER UPDATE ON plan_items BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_plan_items_delete AFTER DELETE ON plan_items BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_plans_insert AFTER INSERT ON plans BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_plans_update AFTER UPDATE ON plans BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_plans_delete AFTER DELETE ON plans BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_budgets_insert AFTER INSERT ON budgets BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_budgets_update AFTER UPDATE ON budgets BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_budgets_delete AFTER DELETE ON budgets BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_person_levels_insert AFTER INSERT ON person_levels BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_person_levels_update AFTER UPDATE ON person_levels BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_person_levels_delete AFTER DELETE ON person_levels BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_ratings_insert AFTER INSERT ON ratings BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_ratings_update AFTER UPDATE ON ratings BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_ratings_delete AFTER DELETE ON ratings BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_expectations_insert AFTER INSERT ON expectations BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_expectations_update AFTER UPDATE ON expectations BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_expectations_delete AFTER DELETE ON expectations BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_competencies_insert AFTER INSERT ON competencies BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_competencies_update AFTER UPDATE ON competencies BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_competencies_delete AFTER DELETE ON competencies BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_levels_insert AFTER INSERT ON levels BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_levels_update AFTER UPDATE ON levels BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_levels_delete AFTER DELETE ON levels BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_tracks_insert AFTER INSERT ON tracks BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_tracks_update AFTER UPDATE ON tracks BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_tracks_delete AFTER DELETE ON tracks BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_users_insert AFTER INSERT ON users BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_users_delete AFTER DELETE ON users BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_users_update AFTER UPDATE OF display_name, team_id, active ON users BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_teams_insert AFTER INSERT ON teams BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_teams_delete AFTER DELETE ON teams BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
CREATE TRIGGER growth_changed_teams_update AFTER UPDATE OF name, parent_id ON teams BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'growth';
END;
