-- 0011: the facts that decide a choice (datasets/choice/): who offers a tool as a service and where the
-- data is kept, published accessibility statements, interface languages computed from the locale files,
-- and a plain-language bilingual profile of every tool. Every row carries its source and the date read.

CREATE TABLE offers (
    offer_id                VARCHAR PRIMARY KEY,
    tool_id                 VARCHAR NOT NULL,
    provider                VARCHAR NOT NULL,
    kind                    VARCHAR NOT NULL CHECK (kind IN ('saas', 'managed_hosting', 'support_contract', 'training')),
    hosting_countries       VARCHAR,          -- ';'-separated ISO 3166-1 alpha-2; NULL = not stated
    eu_hosting              BOOLEAN,          -- NULL = not stated
    price_public            BOOLEAN NOT NULL,
    price_from_eur_per_year DOUBLE,           -- only when a public price is stated
    pricing_url             VARCHAR,
    languages_supported     VARCHAR,          -- ';'-separated ISO 639-1
    source_url              VARCHAR NOT NULL,
    source_commit           VARCHAR,
    checked_on              DATE NOT NULL,
    CHECK (price_from_eur_per_year IS NULL OR (price_public AND price_from_eur_per_year >= 0))
);

CREATE TABLE accessibility (
    tool_id        VARCHAR NOT NULL,
    standard       VARCHAR NOT NULL CHECK (standard IN ('WCAG 2.0', 'WCAG 2.1', 'WCAG 2.2', 'RGAA 4', 'EN 301 549', 'BITV 2.0')),
    level          VARCHAR CHECK (level IN ('A', 'AA', 'AAA')),
    conformance    VARCHAR NOT NULL CHECK (conformance IN ('full', 'partial', 'non_compliant', 'target', 'not_stated')),
    statement_url  VARCHAR NOT NULL,
    audited_on     DATE,
    source_url     VARCHAR NOT NULL,
    source_commit  VARCHAR,
    checked_on     DATE NOT NULL,
    PRIMARY KEY (tool_id, standard, statement_url)
);

CREATE TABLE tool_languages (
    tool_id          VARCHAR NOT NULL,
    language_code    VARCHAR NOT NULL,    -- BCP 47 tag whose language is ISO 639-1 where one exists
    share_translated DOUBLE NOT NULL CHECK (share_translated BETWEEN 0 AND 1),
    source_url       VARCHAR NOT NULL,
    source_commit    VARCHAR NOT NULL,
    checked_on       DATE NOT NULL,
    PRIMARY KEY (tool_id, language_code)
);

CREATE TABLE tool_profiles (
    tool_id     VARCHAR PRIMARY KEY,
    summary_en  VARCHAR NOT NULL,
    summary_fr  VARCHAR NOT NULL,
    runs_it_en  VARCHAR NOT NULL,
    runs_it_fr  VARCHAR NOT NULL,
    cost_en     VARCHAR NOT NULL,
    cost_fr     VARCHAR NOT NULL,
    source_url  VARCHAR NOT NULL,
    checked_on  DATE NOT NULL
);
