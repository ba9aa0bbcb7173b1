-- ITD, the Integrated Trader Database (1998): traders, their directors/partners/proprietors, vehicles.
CREATE SCHEMA IF NOT EXISTS itd;

CREATE TABLE itd.traders (trader_id integer PRIMARY KEY, br_no text, cr_no text, name_en text, name_zh text,
  trader_type text NOT NULL CHECK (trader_type IN ('company','sole_proprietor')), address text, phone text,
  registered_on date, aeo boolean NOT NULL DEFAULT false, updated_at timestamptz NOT NULL);

CREATE TABLE itd.persons (person_id integer PRIMARY KEY, name_en text, name_zh text, hkid text, dob date,
  phone text, address text, updated_at timestamptz NOT NULL);

CREATE TABLE itd.trader_roles (trader_id integer NOT NULL REFERENCES itd.traders, person_id integer NOT NULL REFERENCES itd.persons,
  role text NOT NULL CHECK (role IN ('director','partner','proprietor')), PRIMARY KEY (trader_id, person_id, role));

CREATE TABLE itd.vehicles (vehicle_id integer PRIMARY KEY, trader_id integer REFERENCES itd.traders, mark text NOT NULL, make text, registered_on date);

-- lookup indexes the connector templates rely on:
CREATE INDEX persons_hkid_norm ON itd.persons ((upper(regexp_replace(coalesce(hkid,''), '[^A-Za-z0-9]', '', 'g'))));
CREATE INDEX persons_name_compact ON itd.persons ((upper(regexp_replace(coalesce(name_en,''), '[^A-Za-z]', '', 'g'))));
CREATE INDEX persons_name_zh ON itd.persons (name_zh);
CREATE INDEX traders_br_norm ON itd.traders ((left(regexp_replace(coalesce(br_no,''), '[^0-9]', '', 'g'), 8)));
CREATE INDEX traders_name_compact ON itd.traders ((upper(regexp_replace(coalesce(name_en,''), '[^A-Za-z0-9]', '', 'g'))) text_pattern_ops);
CREATE INDEX traders_name_zh ON itd.traders (name_zh);
CREATE INDEX vehicles_mark_norm ON itd.vehicles ((upper(replace(mark, ' ', ''))));
CREATE INDEX trader_roles_person ON itd.trader_roles (person_id);
CREATE INDEX vehicles_trader ON itd.vehicles (trader_id);
