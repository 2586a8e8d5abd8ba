-- Free labels on requirements (filters, CSV column "labels" / "标签").
-- PostgreSQL twin of migrations/sqlite/0003_requirement_labels.sql.
CREATE TABLE requirement_labels (
    requirement_id  TEXT COLLATE "C" NOT NULL REFERENCES requirements(id) DEFERRABLE,
    label           TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (requirement_id, label)
);
CREATE INDEX requirement_labels_label ON requirement_labels(label);
