-- Per-annotator access to an annotator project on PostgreSQL (docs/server.md).
-- Run once as the role that owns the project's tables (the one that ran `annotator init`),
-- after every migration that adds a table. The owner is not bound by these policies.
-- The group roles must exist first:
--   CREATE ROLE annotators NOLOGIN;
--   CREATE ROLE reviewers NOLOGIN IN ROLE annotators;
-- A person's login role name is their annotator name (ANNOTATOR_USER / the name in the app):
--   CREATE ROLE ana LOGIN PASSWORD '...' IN ROLE annotators;
--   CREATE ROLE rita LOGIN PASSWORD '...' IN ROLE reviewers;

-- Nobody but the owner creates objects in the schema: PostgreSQL 12-14 let every role
-- (PUBLIC) create tables, functions and triggers' functions there (15 and later do not).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- Everyone reads everything; writes are limited to what annotating needs.
-- LOCK TABLE in modes that block others (SHARE and stronger) needs table-level UPDATE, DELETE
-- or TRUNCATE: grant UPDATE column by column where whole-table UPDATE is not needed. DELETE on
-- span and document_state does allow such a lock; the app's lock_timeout (docs/server.md)
-- keeps it from freezing the other clients.
GRANT SELECT ON ALL TABLES IN SCHEMA public TO annotators;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO annotators;
GRANT INSERT ON annotator TO annotators;
GRANT INSERT, UPDATE, DELETE ON span, span_tombstone, document_state TO annotators;
GRANT INSERT, UPDATE, DELETE ON relation, relation_tombstone TO annotators;
-- INSERT on suggestion: a pushed laptop file brings the suggestions made on it (merge).
-- Decisions on them are per annotator (suggestion_decision, below); the old shared
-- suggestion.status is no longer used, and nobody but the owner may change it.
GRANT INSERT ON suggestion TO annotators;
REVOKE UPDATE ON suggestion FROM annotators;
GRANT INSERT, UPDATE, DELETE ON suggestion_decision TO annotators;
GRANT INSERT, UPDATE, DELETE ON review_rejection, review_relation_rejection TO reviewers;

-- An annotator may name only themself, never as gold.
ALTER TABLE annotator ENABLE ROW LEVEL SECURITY;
CREATE POLICY annotator_read ON annotator FOR SELECT TO annotators USING (true);
CREATE POLICY annotator_self ON annotator FOR INSERT TO annotators
    WITH CHECK (name = current_user AND NOT is_gold);

-- Spans and statuses: one's own layer; reviewers also the gold layer.
ALTER TABLE span ENABLE ROW LEVEL SECURITY;
CREATE POLICY span_read ON span FOR SELECT TO annotators USING (true);
CREATE POLICY span_own ON span FOR ALL TO annotators
    USING (annotator_id IN (SELECT id FROM annotator WHERE name = current_user AND NOT is_gold))
    WITH CHECK (annotator_id IN (SELECT id FROM annotator WHERE name = current_user AND NOT is_gold));
CREATE POLICY span_gold ON span FOR ALL TO reviewers
    USING (annotator_id IN (SELECT id FROM annotator WHERE is_gold))
    WITH CHECK (annotator_id IN (SELECT id FROM annotator WHERE is_gold));

-- A span's deletion record (written with the deletion, travels with push and pull): as spans.
ALTER TABLE span_tombstone ENABLE ROW LEVEL SECURITY;
CREATE POLICY tombstone_read ON span_tombstone FOR SELECT TO annotators USING (true);
CREATE POLICY tombstone_own ON span_tombstone FOR ALL TO annotators
    USING (annotator_id IN (SELECT id FROM annotator WHERE name = current_user AND NOT is_gold))
    WITH CHECK (annotator_id IN (SELECT id FROM annotator WHERE name = current_user AND NOT is_gold));
CREATE POLICY tombstone_gold ON span_tombstone FOR ALL TO reviewers
    USING (annotator_id IN (SELECT id FROM annotator WHERE is_gold))
    WITH CHECK (annotator_id IN (SELECT id FROM annotator WHERE is_gold));

-- Relations and their deletion records (schema 0012): as spans. Relation types, like labels,
-- are the owner's to change.
ALTER TABLE relation ENABLE ROW LEVEL SECURITY;
CREATE POLICY relation_read ON relation FOR SELECT TO annotators USING (true);
CREATE POLICY relation_own ON relation FOR ALL TO annotators
    USING (annotator_id IN (SELECT id FROM annotator WHERE name = current_user AND NOT is_gold))
    WITH CHECK (annotator_id IN (SELECT id FROM annotator WHERE name = current_user AND NOT is_gold));
CREATE POLICY relation_gold ON relation FOR ALL TO reviewers
    USING (annotator_id IN (SELECT id FROM annotator WHERE is_gold))
    WITH CHECK (annotator_id IN (SELECT id FROM annotator WHERE is_gold));
ALTER TABLE relation_tombstone ENABLE ROW LEVEL SECURITY;
CREATE POLICY relation_tombstone_read ON relation_tombstone FOR SELECT TO annotators USING (true);
CREATE POLICY relation_tombstone_own ON relation_tombstone FOR ALL TO annotators
    USING (annotator_id IN (SELECT id FROM annotator WHERE name = current_user AND NOT is_gold))
    WITH CHECK (annotator_id IN (SELECT id FROM annotator WHERE name = current_user AND NOT is_gold));
CREATE POLICY relation_tombstone_gold ON relation_tombstone FOR ALL TO reviewers
    USING (annotator_id IN (SELECT id FROM annotator WHERE is_gold))
    WITH CHECK (annotator_id IN (SELECT id FROM annotator WHERE is_gold));

ALTER TABLE document_state ENABLE ROW LEVEL SECURITY;
CREATE POLICY state_read ON document_state FOR SELECT TO annotators USING (true);
CREATE POLICY state_own ON document_state FOR ALL TO annotators
    USING (annotator_id IN (SELECT id FROM annotator WHERE name = current_user AND NOT is_gold))
    WITH CHECK (annotator_id IN (SELECT id FROM annotator WHERE name = current_user AND NOT is_gold));
CREATE POLICY state_gold ON document_state FOR ALL TO reviewers
    USING (annotator_id IN (SELECT id FROM annotator WHERE is_gold))
    WITH CHECK (annotator_id IN (SELECT id FROM annotator WHERE is_gold));

-- Suggestion decisions: one's own; reviewers also the gold layer's.
ALTER TABLE suggestion_decision ENABLE ROW LEVEL SECURITY;
CREATE POLICY decision_read ON suggestion_decision FOR SELECT TO annotators USING (true);
CREATE POLICY decision_own ON suggestion_decision FOR ALL TO annotators
    USING (annotator_id IN (SELECT id FROM annotator WHERE name = current_user AND NOT is_gold))
    WITH CHECK (annotator_id IN (SELECT id FROM annotator WHERE name = current_user AND NOT is_gold));
CREATE POLICY decision_gold ON suggestion_decision FOR ALL TO reviewers
    USING (annotator_id IN (SELECT id FROM annotator WHERE is_gold))
    WITH CHECK (annotator_id IN (SELECT id FROM annotator WHERE is_gold));
