-- THRIVE assessments and grades of contacts. Both are append-only histories: an assessment or a
-- grade is never overwritten, the newest row is the current one. Force settings that drive them
-- (thriveReassessAfterMinutes, gradeTargets) live in forces.settings and have code defaults.

create table thrive_assessments (
  id uuid primary key,
  force_id uuid not null references forces(id),
  contact_id uuid not null references contacts(id),
  assessor_staff_id uuid not null references staff(id),
  assessed_at timestamptz not null,
  elements jsonb not null,                 -- six elements, each { rating, rationale }
  reassess_after_minutes int not null,     -- the force's interval when this was assessed
  reassessment_due_at timestamptz not null,
  reassessment_flagged_at timestamptz      -- set once by the re-assessment job when it fell due unanswered
);
create index thrive_assessments_contact on thrive_assessments (force_id, contact_id, assessed_at desc);

create table contact_grades (
  id uuid primary key,
  force_id uuid not null references forces(id),
  contact_id uuid not null references contacts(id),
  grade text not null check (grade in ('immediate','priority','scheduled','resolution_without_deployment')),
  previous_grade text,
  reason text,
  graded_by uuid not null references staff(id),
  graded_at timestamptz not null,
  target_minutes int,                      -- the force's target when graded; null means no attendance target
  target_at timestamptz
);
create index contact_grades_contact on contact_grades (force_id, contact_id, graded_at desc);

do $$
declare t text;
begin
  foreach t in array array['thrive_assessments','contact_grades']
  loop
    execute format('alter table %I enable row level security', t);
    execute format($p$create policy tenant on %I
      using (force_id = nullif(current_setting('bluelamp.force_id', true), '')::uuid)
      with check (force_id = nullif(current_setting('bluelamp.force_id', true), '')::uuid)$p$, t);
  end loop;
end $$;

-- Rows are history: grades can be read and added, never changed; an assessment may be updated
-- only to record that its re-assessment fell due.
grant select, insert on contact_grades to bluelamp_app;
grant select, insert on thrive_assessments to bluelamp_app;
grant update (reassessment_flagged_at) on thrive_assessments to bluelamp_app;
