-- Email identities are stored with their domain in ASCII (punycode) since decision 0146, and every
-- lookup converts the address it is given the same way. Identities stored before it with a domain in
-- Unicode (inbound mail, a victim's address) are no longer found under the address as it now comes
-- in, so one person became two. This rewrites them once (decision 0154): the oldest identity of an
-- address in a force takes its ASCII form; where a force already holds that form, or two spellings
-- of it, the records stay apart and, when they are different people, are linked as the same human
-- (as an operator would), with a reason, by no member of staff. Nothing is deleted or moved between
-- people, and a force's rows are compared only with its own. No events: the log is the application's.
--
-- The conversion follows `normaliseEmail` (domainToASCII, UTS 46) and rewrites only what it is sure
-- of: a domain of two or more labels of letters, digits and hyphens (as the database's character
-- classes read them), already lower case and in NFKC, each label in RFC 3492 punycode, whose result
-- `asciiDomain` would accept. Anything else (a label with a combining mark the database does not
-- read as a letter, such as a Tamil virama) is left as it is, as before.

-- A link the application makes names its member of staff; one made here names none.
alter table person_links alter column linked_by drop not null;

create function idn_0072_punycode(label text) returns text language plpgsql immutable strict as $$
declare
  points int[] := array(select ascii(c) from regexp_split_to_table(label, '') as c);
  total int := cardinality(points);
  output text := '';
  n int := 128;
  delta int := 0;
  bias int := 72;
  handled int;
  basic int;
  m int;
  q int;
  k int;
  t int;
  c int;
begin
  foreach c in array points loop
    if c < 128 then output := output || chr(c); end if;
  end loop;
  basic := length(output);
  handled := basic;
  if basic > 0 then output := output || '-'; end if;
  while handled < total loop
    select min(p) into m from unnest(points) as p where p >= n;
    delta := delta + (m - n) * (handled + 1);
    n := m;
    foreach c in array points loop
      if c < n then delta := delta + 1; end if;
      if c = n then
        q := delta;
        k := 36;
        loop
          t := case when k <= bias then 1 when k >= bias + 26 then 26 else k - bias end;
          exit when q < t;
          output := output || chr(case when t + (q - t) % (36 - t) < 26 then 97 else 22 end + t + (q - t) % (36 - t));
          q := (q - t) / (36 - t);
          k := k + 36;
        end loop;
        output := output || chr(case when q < 26 then 97 else 22 end + q);
        -- RFC 3492's bias adaptation.
        delta := case when handled = basic then delta / 700 else delta / 2 end;
        delta := delta + delta / (handled + 1);
        k := 0;
        while delta > 455 loop
          delta := delta / 35;
          k := k + 36;
        end loop;
        bias := k + (36 * delta) / (delta + 38);
        delta := 0;
        handled := handled + 1;
      end if;
    end loop;
    delta := delta + 1;
    n := n + 1;
  end loop;
  return 'xn--' || output;
end $$;

-- The stored address with its domain in ASCII, or null when its domain is ASCII already or is not
-- one this conversion is sure of.
create function idn_0072_ascii_email(address text) returns text language plpgsql immutable strict as $$
declare
  lowered text := lower(trim(address));
  at int := length(lowered) - strpos(reverse(lowered), '@') + 1;
  domain text;
  label text;
  ascii_labels text[] := '{}';
  -- Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic and their presentation forms.
  RTL constant text := U&'[\0590-\08FF\FB1D-\FDFF\FE70-\FEFF]';
begin
  -- Stored addresses were trimmed and lower-cased as `normaliseEmail` does; one that is not is left.
  if lowered <> address or strpos(lowered, '@') = 0 or at <= 1 then return null; end if;
  -- The ideographic and full-width dots are dots, as IDNA reads them.
  domain := translate(substr(lowered, at + 1), U&'\3002\FF0E\FF61', '...');
  if octet_length(domain) = char_length(domain) or domain <> normalize(domain, NFKC) then return null; end if;
  -- UTS 46 maps Cherokee's small letters to its capitals, which lower() does not.
  if domain ~ U&'[\13F8-\13FD\AB70-\ABBF]' then return null; end if;
  -- IDNA's bidi rule, kept to what is sure: a label in a right-to-left script holds only letters
  -- of such scripts, and every label of its domain begins with a letter.
  if domain ~ RTL then
    foreach label in array string_to_array(domain, '.') loop
      if label ~ RTL and label !~ ('^' || RTL || '+$') then return null; end if;
      if label !~ '^[[:alpha:]]' then return null; end if;
    end loop;
  end if;
  foreach label in array string_to_array(domain, '.') loop
    if label !~ '^[[:alnum:]]([[:alnum:]-]*[[:alnum:]])?$' then return null; end if;
    if octet_length(label) <> char_length(label) then label := idn_0072_punycode(label); end if;
    if label !~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$' then return null; end if;
    ascii_labels := ascii_labels || label;
  end loop;
  if cardinality(ascii_labels) < 2 or ascii_labels[cardinality(ascii_labels)] !~ '^([a-z]{2,63}|xn--[a-z0-9-]{1,59})$' then return null; end if;
  return substr(lowered, 1, at) || array_to_string(ascii_labels, '.');
end $$;

create temporary table idn_0072_found on commit drop as
select i.id, i.force_id, i.person_id, i.created_at, idn_0072_ascii_email(i.value) as ascii_value
from identities i
where i.kind = 'email' and octet_length(i.value) <> char_length(i.value);
delete from idn_0072_found where ascii_value is null;

-- The identity that takes the ASCII form: the oldest spelling, where the force has no identity
-- with that form already.
update identities i
set value = f.ascii_value
from (
  select distinct on (found.force_id, found.ascii_value) found.id, found.ascii_value
  from idn_0072_found found
  where not exists (select 1 from identities held where held.force_id = found.force_id and held.kind = 'email' and held.value = found.ascii_value)
  order by found.force_id, found.ascii_value, found.created_at, found.id
) f
where i.id = f.id;

-- Every other spelling stays on its own record; a record of a different person is linked to the
-- holder's, once per pair, unless an operator linked them already.
insert into person_links (id, force_id, person_id, linked_person_id, reason, linked_by, linked_at)
select gen_random_uuid(), pair.force_id, pair.holder_id, pair.other_id,
  'The same email address: ' || pair.ascii_value || ' on this record, written with its domain in Unicode on the other. Linked when email addresses were made one form; unlink if they are different people.',
  null, now()
from (
  select distinct on (found.force_id, least(holder.person_id, found.person_id), greatest(holder.person_id, found.person_id))
    found.force_id, holder.person_id as holder_id, found.person_id as other_id, found.ascii_value
  from idn_0072_found found
  join identities holder on holder.force_id = found.force_id and holder.kind = 'email' and holder.value = found.ascii_value
  where holder.id <> found.id and holder.person_id <> found.person_id
  order by found.force_id, least(holder.person_id, found.person_id), greatest(holder.person_id, found.person_id), found.created_at
) pair
where not exists (
  select 1 from person_links l
  where l.force_id = pair.force_id and l.unlinked_at is null
    and least(l.person_id, l.linked_person_id) = least(pair.holder_id, pair.other_id)
    and greatest(l.person_id, l.linked_person_id) = greatest(pair.holder_id, pair.other_id)
);

drop function idn_0072_ascii_email(text);
drop function idn_0072_punycode(text);
