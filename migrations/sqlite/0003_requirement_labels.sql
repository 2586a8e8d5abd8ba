-- Free labels on requirements (filters, CSV column "labels" / "标签").
CREATE TABLE requirement_labels (
    requirement_id  TEXT NOT NULL REFERENCES requirements(id),
    label           TEXT NOT NULL,
    PRIMARY KEY (requirement_id, label)
);
CREATE INDEX requirement_labels_label ON requirement_labels(label);
