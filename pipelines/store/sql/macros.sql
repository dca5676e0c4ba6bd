-- Helpers shared by the ingest SQL. Created as TEMP macros on every connection.

-- Parse a timestamp written in any of the forms exports use, to TIMESTAMPTZ.
-- Times with an offset keep it; naive times are read in time zone `tz`;
-- `dayfirst` decides 03/04/2026 (3 April when true). Excel serial numbers are understood,
-- and so are Unix epoch seconds (always UTC).
CREATE OR REPLACE TEMP MACRO voc_parse_time(s, tz, dayfirst) AS CASE
    WHEN s IS NULL THEN NULL
    WHEN regexp_matches(s, '\d:\d\d(:\d\d(\.\d+)?)?\s*([Zz]|[+-]\d\d(:?\d\d)?)$')
        THEN coalesce(
            try_cast(s AS TIMESTAMPTZ),
            try_strptime(regexp_replace(s, '\s*[Zz]$', '+00:00'), [
                '%Y-%m-%dT%H:%M:%S%z', '%Y-%m-%dT%H:%M:%S.%f%z', '%Y-%m-%dT%H:%M%z',
                '%Y-%m-%d %H:%M:%S%z', '%Y-%m-%d %H:%M:%S.%f%z', '%Y-%m-%d %H:%M:%S %z',
                '%a %b %d %H:%M:%S %z %Y', '%a, %d %b %Y %H:%M:%S %z']))
    -- Twitter (v1.1 statuses and exports): "Tue Feb 24 11:35:52 +0000 2015", the year after the offset
    WHEN regexp_full_match(trim(s), '[A-Za-z]{3} [A-Za-z]{3} +\d{1,2} \d\d:\d\d:\d\d [+-]\d{4} \d{4}')
        THEN try_strptime(regexp_replace(trim(s), ' +', ' ', 'g'), '%a %b %d %H:%M:%S %z %Y')
    WHEN regexp_full_match(s, '1[0-9]{9}') THEN to_timestamp(CAST(s AS BIGINT))
    ELSE timezone(tz, coalesce(
        CASE WHEN regexp_matches(s, '^\d{4}-\d\d-\d\d') THEN try_cast(s AS TIMESTAMP) END,
        try_strptime(s, ['%Y/%m/%d %H:%M:%S', '%Y/%m/%d %H:%M', '%Y/%m/%d']),
        CASE WHEN dayfirst THEN try_strptime(s, [
            '%d/%m/%Y %H:%M:%S', '%d/%m/%Y %H:%M', '%d/%m/%Y',
            '%d.%m.%Y %H:%M:%S', '%d.%m.%Y %H:%M', '%d.%m.%Y',
            '%d-%m-%Y %H:%M:%S', '%d-%m-%Y %H:%M', '%d-%m-%Y %H.%M.%S', '%d-%m-%Y %H.%M', '%d-%m-%Y',
            '%d/%m/%y %H:%M', '%d/%m/%y', '%d.%m.%y %H:%M', '%d.%m.%y'])
        ELSE try_strptime(s, [
            '%m/%d/%Y %H:%M:%S', '%m/%d/%Y %H:%M', '%m/%d/%Y', '%m/%d/%Y %I:%M %p', '%m/%d/%Y %I:%M:%S %p',
            '%m-%d-%Y %H:%M', '%m-%d-%Y', '%m/%d/%y %H:%M', '%m/%d/%y']) END,
        CASE WHEN regexp_full_match(s, '[0-9]{5}(\.[0-9]+)?') AND CAST(s AS DOUBLE) BETWEEN 20000 AND 80000
             THEN TIMESTAMP '1899-12-30'
                  + to_microseconds(CAST(round(CAST(s AS DOUBLE) * 86400) * 1000000 AS BIGINT)) END))
END;

-- Canonical form of a customer handle, e-mail or phone before it is hashed.
CREATE OR REPLACE TEMP MACRO voc_customer_key(s) AS CASE
    WHEN s IS NULL OR trim(s) = '' THEN NULL
    WHEN contains(s, '@') AND regexp_full_match(trim(s), '[^@\s]+@[^@\s]+\.[^@\s]+') THEN lower(trim(s))
    WHEN regexp_matches(s, '^\s*[+0-9(]') AND regexp_full_match(trim(s), '[+0-9 ().\-/]{6,}')
        THEN regexp_replace(s, '[^0-9]', '', 'g')
    ELSE lower(ltrim(trim(s), '@'))
END;

-- Salted hash of voc_customer_key(): a stable customer reference that never stores the handle itself.
CREATE OR REPLACE TEMP MACRO voc_customer_ref(customer_key, salt) AS
    'c_' || substr(sha256(salt || '|' || customer_key), 1, 20);
