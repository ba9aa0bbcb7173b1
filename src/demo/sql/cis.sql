-- CIS, the Customs Intelligence System (2005): entities, intelligence/investigation reports, links.
CREATE SCHEMA IF NOT EXISTS cis;

CREATE TABLE cis.entities (entity_id integer PRIMARY KEY, entity_type text NOT NULL CHECK (entity_type IN ('person','company','vehicle')),
  name_en text, name_zh text, hkid text, br_no text, vehicle_mark text, dob date, phone text, address text);

CREATE TABLE cis.reports (report_id integer PRIMARY KEY, entity_id integer NOT NULL REFERENCES cis.entities,
  kind text NOT NULL CHECK (kind IN ('intelligence','investigation')), summary text NOT NULL,
  security_level smallint NOT NULL CHECK (security_level BETWEEN 0 AND 3), case_no text, informant text, status text,
  reported_at timestamptz NOT NULL);

CREATE TABLE cis.entity_links (from_entity integer NOT NULL REFERENCES cis.entities, to_entity integer NOT NULL REFERENCES cis.entities,
  link_type text NOT NULL, PRIMARY KEY (from_entity, to_entity, link_type));

-- lookup indexes the connector templates rely on (same expressions as itd.sql):
CREATE INDEX entities_hkid_norm ON cis.entities ((upper(regexp_replace(coalesce(hkid,''), '[^A-Za-z0-9]', '', 'g'))));
CREATE INDEX entities_name_compact ON cis.entities ((upper(regexp_replace(coalesce(name_en,''), '[^A-Za-z]', '', 'g'))));
CREATE INDEX entities_name_zh ON cis.entities (name_zh);
CREATE INDEX entities_br_norm ON cis.entities ((left(regexp_replace(coalesce(br_no,''), '[^0-9]', '', 'g'), 8)));
CREATE INDEX entities_company_name_compact ON cis.entities ((upper(regexp_replace(coalesce(name_en,''), '[^A-Za-z0-9]', '', 'g'))) text_pattern_ops);
CREATE INDEX entities_mark_norm ON cis.entities ((upper(replace(coalesce(vehicle_mark, ''), ' ', ''))));
CREATE INDEX reports_entity ON cis.reports (entity_id);
CREATE INDEX entity_links_to ON cis.entity_links (to_entity);
