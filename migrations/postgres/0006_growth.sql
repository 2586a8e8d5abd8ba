-- Growth and training plans: a competency framework (tracks, levels,
-- competencies, expectations), periods, assessments, plans and their items,
-- a catalog of learning resources, mentorships and training budgets.
-- Money is stored in minor units (fen, cents) so that sums are exact.
-- PostgreSQL twin of migrations/sqlite/0006_growth.sql (seed rows identical).

CREATE TABLE tracks (
    id          TEXT COLLATE "C" PRIMARY KEY,
    name_en     TEXT COLLATE "C" NOT NULL,
    name_zh     TEXT COLLATE "C" NOT NULL,
    created_at  TEXT COLLATE "C" NOT NULL
);

CREATE TABLE competencies (
    id        TEXT COLLATE "C" PRIMARY KEY,
    track_id  TEXT COLLATE "C" NOT NULL REFERENCES tracks(id) DEFERRABLE,
    key       TEXT COLLATE "C" NOT NULL,
    name_en   TEXT COLLATE "C" NOT NULL,
    name_zh   TEXT COLLATE "C" NOT NULL,
    position  BIGINT NOT NULL,
    UNIQUE (track_id, key)
);

CREATE TABLE levels (
    id        TEXT COLLATE "C" PRIMARY KEY,
    track_id  TEXT COLLATE "C" NOT NULL REFERENCES tracks(id) DEFERRABLE,
    code      TEXT COLLATE "C" NOT NULL,
    position  BIGINT NOT NULL,
    UNIQUE (track_id, code)
);

-- What a level expects of a competency: a text and a rating on the 1–5 scale.
CREATE TABLE expectations (
    level_id       TEXT COLLATE "C" NOT NULL REFERENCES levels(id) DEFERRABLE,
    competency_id  TEXT COLLATE "C" NOT NULL REFERENCES competencies(id) DEFERRABLE,
    text_en        TEXT COLLATE "C" NOT NULL DEFAULT '',
    text_zh        TEXT COLLATE "C" NOT NULL DEFAULT '',
    rating         BIGINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
    version        BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (level_id, competency_id)
);

-- A person's current level on a track.
CREATE TABLE person_levels (
    user_id     TEXT COLLATE "C" PRIMARY KEY REFERENCES users(id) DEFERRABLE,
    track_id    TEXT COLLATE "C" NOT NULL REFERENCES tracks(id) DEFERRABLE,
    level_id    TEXT COLLATE "C" NOT NULL REFERENCES levels(id) DEFERRABLE,
    version     BIGINT NOT NULL DEFAULT 1,
    updated_at  TEXT COLLATE "C" NOT NULL
);

CREATE TABLE periods (
    id          TEXT COLLATE "C" PRIMARY KEY,
    name        TEXT COLLATE "C" NOT NULL UNIQUE,
    start_date  TEXT COLLATE "C" NOT NULL,
    end_date    TEXT COLLATE "C" NOT NULL CHECK (end_date > start_date),
    created_at  TEXT COLLATE "C" NOT NULL
);

-- One assessment per person and period; its version guards both rating columns.
CREATE TABLE assessments (
    period_id   TEXT COLLATE "C" NOT NULL REFERENCES periods(id) DEFERRABLE,
    user_id     TEXT COLLATE "C" NOT NULL REFERENCES users(id) DEFERRABLE,
    version     BIGINT NOT NULL DEFAULT 1,
    updated_at  TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (period_id, user_id)
);

CREATE TABLE ratings (
    period_id      TEXT COLLATE "C" NOT NULL,
    user_id        TEXT COLLATE "C" NOT NULL,
    competency_id  TEXT COLLATE "C" NOT NULL REFERENCES competencies(id) DEFERRABLE,
    self_rating    BIGINT CHECK (self_rating BETWEEN 1 AND 5),
    leader_rating  BIGINT CHECK (leader_rating BETWEEN 1 AND 5),
    PRIMARY KEY (period_id, user_id, competency_id),
    FOREIGN KEY (period_id, user_id) REFERENCES assessments(period_id, user_id) DEFERRABLE
);

CREATE TABLE plans (
    id             TEXT COLLATE "C" PRIMARY KEY,
    period_id      TEXT COLLATE "C" NOT NULL REFERENCES periods(id) DEFERRABLE,
    user_id        TEXT COLLATE "C" NOT NULL REFERENCES users(id) DEFERRABLE,
    -- The total a leader (or admin) approved while the plan was over budget.
    approved_cost  BIGINT,
    approved_by    TEXT COLLATE "C" REFERENCES users(id) DEFERRABLE,
    version        BIGINT NOT NULL DEFAULT 1,
    created_at     TEXT COLLATE "C" NOT NULL,
    UNIQUE (period_id, user_id)
);

CREATE TABLE catalog (
    id          TEXT COLLATE "C" PRIMARY KEY,
    title       TEXT COLLATE "C" NOT NULL,
    kind        TEXT COLLATE "C" NOT NULL CHECK (kind IN ('course', 'conference', 'reading', 'internal_sharing', 'mentoring', 'stretch_assignment')),
    link        TEXT COLLATE "C" NOT NULL DEFAULT '',
    cost        BIGINT NOT NULL DEFAULT 0 CHECK (cost >= 0),
    language    TEXT COLLATE "C" NOT NULL CHECK (language IN ('en', 'zh')),
    created_by  TEXT COLLATE "C" NOT NULL REFERENCES users(id) DEFERRABLE,
    created_at  TEXT COLLATE "C" NOT NULL
);

CREATE TABLE catalog_competencies (
    catalog_id     TEXT COLLATE "C" NOT NULL REFERENCES catalog(id) ON DELETE CASCADE DEFERRABLE,
    competency_id  TEXT COLLATE "C" NOT NULL REFERENCES competencies(id) DEFERRABLE,
    PRIMARY KEY (catalog_id, competency_id)
);
CREATE INDEX catalog_competencies_competency ON catalog_competencies(competency_id);

CREATE TABLE plan_items (
    id             TEXT COLLATE "C" PRIMARY KEY,
    plan_id        TEXT COLLATE "C" NOT NULL REFERENCES plans(id) DEFERRABLE,
    kind           TEXT COLLATE "C" NOT NULL CHECK (kind IN ('course', 'conference', 'reading', 'internal_sharing', 'mentoring', 'stretch_assignment')),
    title          TEXT COLLATE "C" NOT NULL,
    competency_id  TEXT COLLATE "C" NOT NULL REFERENCES competencies(id) DEFERRABLE,
    due_date       TEXT COLLATE "C" NOT NULL,
    status         TEXT COLLATE "C" NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'done', 'dropped')),
    evidence       TEXT COLLATE "C" NOT NULL DEFAULT '',
    cost           BIGINT NOT NULL DEFAULT 0 CHECK (cost >= 0),
    catalog_id     TEXT COLLATE "C" REFERENCES catalog(id) DEFERRABLE,
    version        BIGINT NOT NULL DEFAULT 1,
    created_by     TEXT COLLATE "C" NOT NULL REFERENCES users(id) DEFERRABLE,
    created_at     TEXT COLLATE "C" NOT NULL,
    updated_at     TEXT COLLATE "C" NOT NULL
);
CREATE INDEX plan_items_plan ON plan_items(plan_id);

CREATE TABLE mentorships (
    id          TEXT COLLATE "C" PRIMARY KEY,
    mentor_id   TEXT COLLATE "C" NOT NULL REFERENCES users(id) DEFERRABLE,
    mentee_id   TEXT COLLATE "C" NOT NULL REFERENCES users(id) DEFERRABLE,
    goals       TEXT COLLATE "C" NOT NULL,
    active      BIGINT NOT NULL DEFAULT 1,
    created_by  TEXT COLLATE "C" NOT NULL REFERENCES users(id) DEFERRABLE,
    created_at  TEXT COLLATE "C" NOT NULL,
    CHECK (mentor_id <> mentee_id)
);
CREATE INDEX mentorships_mentor ON mentorships(mentor_id);
CREATE INDEX mentorships_mentee ON mentorships(mentee_id);

CREATE TABLE mentor_meetings (
    id             TEXT COLLATE "C" PRIMARY KEY,
    mentorship_id  TEXT COLLATE "C" NOT NULL REFERENCES mentorships(id) DEFERRABLE,
    day            TEXT COLLATE "C" NOT NULL,
    note           TEXT COLLATE "C" NOT NULL,
    author_id      TEXT COLLATE "C" NOT NULL REFERENCES users(id) DEFERRABLE,
    created_at     TEXT COLLATE "C" NOT NULL
);
CREATE INDEX mentor_meetings_pair ON mentor_meetings(mentorship_id, day);

-- Training budgets of a period: for one person or one team (its direct members).
CREATE TABLE budgets (
    period_id   TEXT COLLATE "C" NOT NULL REFERENCES periods(id) DEFERRABLE,
    scope       TEXT COLLATE "C" NOT NULL CHECK (scope IN ('person', 'team')),
    subject_id  TEXT COLLATE "C" NOT NULL,
    amount      BIGINT NOT NULL CHECK (amount >= 0),
    version     BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (period_id, scope, subject_id)
);

-- The default framework: Product Management, PM1–PM5 × six competencies.
INSERT INTO tracks (id, name_en, name_zh, created_at) VALUES ('6e0a0000-0000-4000-8000-000000000001', 'Product Management', '产品管理', '2026-01-01T00:00:00Z');
INSERT INTO competencies (id, track_id, key, name_en, name_zh, position) VALUES ('6e0a0000-0000-4000-8000-000000000101', '6e0a0000-0000-4000-8000-000000000001', 'discovery', 'Discovery', '用户洞察', 1);
INSERT INTO competencies (id, track_id, key, name_en, name_zh, position) VALUES ('6e0a0000-0000-4000-8000-000000000102', '6e0a0000-0000-4000-8000-000000000001', 'strategy', 'Strategy', '产品战略', 2);
INSERT INTO competencies (id, track_id, key, name_en, name_zh, position) VALUES ('6e0a0000-0000-4000-8000-000000000103', '6e0a0000-0000-4000-8000-000000000001', 'execution', 'Execution', '执行交付', 3);
INSERT INTO competencies (id, track_id, key, name_en, name_zh, position) VALUES ('6e0a0000-0000-4000-8000-000000000104', '6e0a0000-0000-4000-8000-000000000001', 'data', 'Data', '数据驱动', 4);
INSERT INTO competencies (id, track_id, key, name_en, name_zh, position) VALUES ('6e0a0000-0000-4000-8000-000000000105', '6e0a0000-0000-4000-8000-000000000001', 'communication', 'Communication', '沟通协作', 5);
INSERT INTO competencies (id, track_id, key, name_en, name_zh, position) VALUES ('6e0a0000-0000-4000-8000-000000000106', '6e0a0000-0000-4000-8000-000000000001', 'leadership', 'Leadership', '领导力', 6);
INSERT INTO levels (id, track_id, code, position) VALUES ('6e0a0000-0000-4000-8000-000000000201', '6e0a0000-0000-4000-8000-000000000001', 'PM1', 1);
INSERT INTO levels (id, track_id, code, position) VALUES ('6e0a0000-0000-4000-8000-000000000202', '6e0a0000-0000-4000-8000-000000000001', 'PM2', 2);
INSERT INTO levels (id, track_id, code, position) VALUES ('6e0a0000-0000-4000-8000-000000000203', '6e0a0000-0000-4000-8000-000000000001', 'PM3', 3);
INSERT INTO levels (id, track_id, code, position) VALUES ('6e0a0000-0000-4000-8000-000000000204', '6e0a0000-0000-4000-8000-000000000001', 'PM4', 4);
INSERT INTO levels (id, track_id, code, position) VALUES ('6e0a0000-0000-4000-8000-000000000205', '6e0a0000-0000-4000-8000-000000000001', 'PM5', 5);
INSERT INTO expectations (level_id, competency_id, text_en, text_zh, rating) VALUES ('6e0a0000-0000-4000-8000-000000000201', '6e0a0000-0000-4000-8000-000000000101', 'With guidance, for one feature: interviews users and turns findings into validated problems.', '在指导下，针对单个功能：开展用户访谈，把洞察转化为经过验证的问题。', 2);
INSERT INTO expectations (level_id, competency_id, text_en, text_zh, rating) VALUES ('6e0a0000-0000-4000-8000-000000000201', '6e0a0000-0000-4000-8000-000000000102', 'With guidance, for one feature: sets direction and priorities tied to company goals.', '在指导下，针对单个功能：制定与公司目标一致的方向和优先级。', 1);
INSERT INTO expectations (level_id, competency_id, text_en, text_zh, rating) VALUES ('6e0a0000-0000-4000-8000-000000000201', '6e0a0000-0000-4000-8000-000000000103', 'With guidance, for one feature: ships on time with clear requirements and trade-offs.', '在指导下，针对单个功能：以清晰的需求和取舍按时交付。', 2);
INSERT INTO expectations (level_id, competency_id, text_en, text_zh, rating) VALUES ('6e0a0000-0000-4000-8000-000000000201', '6e0a0000-0000-4000-8000-000000000104', 'With guidance, for one feature: defines metrics and decides with data.', '在指导下，针对单个功能：定义指标并用数据做决策。', 2);
INSERT INTO expectations (level_id, competency_id, text_en, text_zh, rating) VALUES ('6e0a0000-0000-4000-8000-000000000201', '6e0a0000-0000-4000-8000-000000000105', 'With guidance, for one feature: aligns stakeholders in writing and in person.', '在指导下，针对单个功能：通过书面与当面沟通对齐干系人。', 2);
INSERT INTO expectations (level_id, competency_id, text_en, text_zh, rating) VALUES ('6e0a0000-0000-4000-8000-000000000201', '6e0a0000-0000-4000-8000-000000000106', 'With guidance, for one feature: grows others and leads without authority.', '在指导下，针对单个功能：培养他人，不依赖职权进行领导。', 1);
INSERT INTO expectations (level_id, competency_id, text_en, text_zh, rating) VALUES ('6e0a0000-0000-4000-8000-000000000202', '6e0a0000-0000-4000-8000-000000000101', 'Independently, for a feature area: interviews users and turns findings into validated problems.', '独立负责一个功能领域：开展用户访谈，把洞察转化为经过验证的问题。', 3);
INSERT INTO expectations (level_id, competency_id, text_en, text_zh, rating) VALUES ('6e0a0000-0000-4000-8000-000000000202', '6e0a0000-0000-4000-8000-000000000102', 'Independently, for a feature area: sets direction and priorities tied to company goals.', '独立负责一个功能领域：制定与公司目标一致的方向和优先级。', 2);
INSERT INTO expectations (level_id, competency_id, text_en, text_zh, rating) VALUES ('6e0a0000-0000-4000-8000-000000000202', '6e0a0000-0000-4000-8000-000000000103', 'Independently, for a feature area: ships on time with clear requirements and trade-offs.', '独立负责一个功能领域：以清晰的需求和取舍按时交付。', 3);
INSERT INTO expectations (level_id, competency_id, text_en, text_zh, rating) VALUES ('6e0a0000-0000-4000-8000-000000000202', '6e0a0000-0000-4000-8000-000000000104', 'Independently, for a feature area: defines metrics and decides with data.', '独立负责一个功能领域：定义指标并用数据做决策。', 3);
INSERT INTO expectations (level_id, competency_id, text_en, text_zh, rating) VALUES ('6e0a0000-0000-4000-8000-000000000202', '6e0a0000-0000-4000-8000-000000000105', 'Independently, for a feature area: aligns stakeholders in writing and in person.', '独立负责一个功能领域：通过书面与当面沟通对齐干系人。', 3);
INSERT INTO expectations (level_id, competency_id, text_en, text_zh, rating) VALUES ('6e0a0000-0000-4000-8000-000000000202', '6e0a0000-0000-4000-8000-000000000106', 'Independently, for a feature area: grows others and leads without authority.', '独立负责一个功能领域：培养他人，不依赖职权进行领导。', 2);
INSERT INTO expectations (level_id, competency_id, text_en, text_zh, rating) VALUES ('6e0a0000-0000-4000-8000-000000000203', '6e0a0000-0000-4000-8000-000000000101', 'Independently, for a whole product: interviews users and turns findings into validated problems.', '独立负责一个完整产品：开展用户访谈，把洞察转化为经过验证的问题。', 3);
INSERT INTO expectations (level_id, competency_id, text_en, text_zh, rating) VALUES ('6e0a0000-0000-4000-8000-000000000203', '6e0a0000-0000-4000-8000-000000000102', 'Independently, for a whole product: sets direction and priorities tied to company goals.', '独立负责一个完整产品：制定与公司目标一致的方向和优先级。', 3);
INSERT INTO expectations (level_id, competency_id, text_en, text_zh, rating) VALUES ('6e0a0000-0000-4000-8000-000000000203', '6e0a0000-0000-4000-8000-000000000103', 'Independently, for a whole product: ships on time with clear requirements and trade-offs.', '独立负责一个完整产品：以清晰的需求和取舍按时交付。', 4);
INSERT INTO expectations (level_id, competency_id, text_en, text_zh, rating) VALUES ('6e0a0000-0000-4000-8000-000000000203', '6e0a0000-0000-4000-8000-000000000104', 'Independently, for a whole product: defines metrics and decides with data.', '独立负责一个完整产品：定义指标并用数据做决策。', 3);
INSERT INTO expectations (level_id, competency_id, text_en, text_zh, rating) VALUES ('6e0a0000-0000-4000-8000-000000000203', '6e0a0000-0000-4000-8000-000000000105', 'Independently, for a whole product: aligns stakeholders in writing and in person.', '独立负责一个完整产品：通过书面与当面沟通对齐干系人。', 4);
INSERT INTO expectations (level_id, competency_id, text_en, text_zh, rating) VALUES ('6e0a0000-0000-4000-8000-000000000203', '6e0a0000-0000-4000-8000-000000000106', 'Independently, for a whole product: grows others and leads without authority.', '独立负责一个完整产品：培养他人，不依赖职权进行领导。', 3);
INSERT INTO expectations (level_id, competency_id, text_en, text_zh, rating) VALUES ('6e0a0000-0000-4000-8000-000000000204', '6e0a0000-0000-4000-8000-000000000101', 'Across several products: interviews users and turns findings into validated problems.', '跨多个产品：开展用户访谈，把洞察转化为经过验证的问题。', 4);
INSERT INTO expectations (level_id, competency_id, text_en, text_zh, rating) VALUES ('6e0a0000-0000-4000-8000-000000000204', '6e0a0000-0000-4000-8000-000000000102', 'Across several products: sets direction and priorities tied to company goals.', '跨多个产品：制定与公司目标一致的方向和优先级。', 4);
INSERT INTO expectations (level_id, competency_id, text_en, text_zh, rating) VALUES ('6e0a0000-0000-4000-8000-000000000204', '6e0a0000-0000-4000-8000-000000000103', 'Across several products: ships on time with clear requirements and trade-offs.', '跨多个产品：以清晰的需求和取舍按时交付。', 4);
INSERT INTO expectations (level_id, competency_id, text_en, text_zh, rating) VALUES ('6e0a0000-0000-4000-8000-000000000204', '6e0a0000-0000-4000-8000-000000000104', 'Across several products: defines metrics and decides with data.', '跨多个产品：定义指标并用数据做决策。', 4);
INSERT INTO expectations (level_id, competency_id, text_en, text_zh, rating) VALUES ('6e0a0000-0000-4000-8000-000000000204', '6e0a0000-0000-4000-8000-000000000105', 'Across several products: aligns stakeholders in writing and in person.', '跨多个产品：通过书面与当面沟通对齐干系人。', 4);
INSERT INTO expectations (level_id, competency_id, text_en, text_zh, rating) VALUES ('6e0a0000-0000-4000-8000-000000000204', '6e0a0000-0000-4000-8000-000000000106', 'Across several products: grows others and leads without authority.', '跨多个产品：培养他人，不依赖职权进行领导。', 4);
INSERT INTO expectations (level_id, competency_id, text_en, text_zh, rating) VALUES ('6e0a0000-0000-4000-8000-000000000205', '6e0a0000-0000-4000-8000-000000000101', 'Across the organisation: interviews users and turns findings into validated problems.', '面向整个组织：开展用户访谈，把洞察转化为经过验证的问题。', 5);
INSERT INTO expectations (level_id, competency_id, text_en, text_zh, rating) VALUES ('6e0a0000-0000-4000-8000-000000000205', '6e0a0000-0000-4000-8000-000000000102', 'Across the organisation: sets direction and priorities tied to company goals.', '面向整个组织：制定与公司目标一致的方向和优先级。', 5);
INSERT INTO expectations (level_id, competency_id, text_en, text_zh, rating) VALUES ('6e0a0000-0000-4000-8000-000000000205', '6e0a0000-0000-4000-8000-000000000103', 'Across the organisation: ships on time with clear requirements and trade-offs.', '面向整个组织：以清晰的需求和取舍按时交付。', 5);
INSERT INTO expectations (level_id, competency_id, text_en, text_zh, rating) VALUES ('6e0a0000-0000-4000-8000-000000000205', '6e0a0000-0000-4000-8000-000000000104', 'Across the organisation: defines metrics and decides with data.', '面向整个组织：定义指标并用数据做决策。', 4);
INSERT INTO expectations (level_id, competency_id, text_en, text_zh, rating) VALUES ('6e0a0000-0000-4000-8000-000000000205', '6e0a0000-0000-4000-8000-000000000105', 'Across the organisation: aligns stakeholders in writing and in person.', '面向整个组织：通过书面与当面沟通对齐干系人。', 5);
INSERT INTO expectations (level_id, competency_id, text_en, text_zh, rating) VALUES ('6e0a0000-0000-4000-8000-000000000205', '6e0a0000-0000-4000-8000-000000000106', 'Across the organisation: grows others and leads without authority.', '面向整个组织：培养他人，不依赖职权进行领导。', 5);
