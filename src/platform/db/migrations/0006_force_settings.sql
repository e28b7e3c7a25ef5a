-- A force admin changes the force's own settings; nothing else about a force row is the
-- application's to change (its id, slug and code are fixed at creation).
grant update (settings) on forces to bluelamp_app;
