-- One hash chain serialised every audited write in the database until its commit was flushed, which
-- capped the whole hospital's write rate at one WAL flush at a time. The log is now 16 chains: an
-- entry joins the chain of the patient it concerns (or of its actor when it concerns no patient), so
-- one patient's story stays one ordered chain while writes for different patients commit in parallel.
-- `seq` stays the global order for listing; (chain, chain_seq) is the chain position; the hash covers
-- prev_hash, seq, chain, chain_seq and the canonical content, so moving or renumbering any entry
-- breaks it. Existing entries become chain 0 in their order, their hashes recomputed over the new form.
ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
--> statement-breakpoint
ALTER TABLE audit_log ADD COLUMN chain smallint NOT NULL DEFAULT 0, ADD COLUMN chain_seq bigint,
  ADD COLUMN hash_version smallint NOT NULL DEFAULT 2;
--> statement-breakpoint
CREATE SEQUENCE audit_log_seq_seq OWNED BY audit_log.seq;
--> statement-breakpoint
SELECT setval('audit_log_seq_seq', coalesce((SELECT max(seq) FROM audit_log), 0) + 1, false);
--> statement-breakpoint
ALTER TABLE audit_log ALTER COLUMN seq SET DEFAULT nextval('audit_log_seq_seq');
--> statement-breakpoint
CREATE FUNCTION audit_entry_hash(p_prev text, p_seq bigint, p_chain smallint, p_chain_seq bigint, p_content text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to(
    p_prev || E'\n' || p_seq::text || E'\n' || p_chain::text || ':' || p_chain_seq::text || E'\n' || p_content, 'UTF8')), 'hex')
$$;
--> statement-breakpoint
-- Entries written before this migration keep their hashes (version 1: sha256(prev \n seq \n content))
-- and become the start of chain 0; the verifier checks each entry by its own version's formula.
UPDATE audit_log SET chain_seq = seq, hash_version = 1;
--> statement-breakpoint
ALTER TABLE audit_log ALTER COLUMN chain_seq SET NOT NULL;
--> statement-breakpoint
CREATE UNIQUE INDEX audit_log_chain_seq_uq ON audit_log (chain, chain_seq);
--> statement-breakpoint
ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
--> statement-breakpoint
DROP FUNCTION audit_append(timestamptz, text, text, text, text, jsonb, jsonb, text, text);
--> statement-breakpoint
CREATE FUNCTION audit_append(
  p_at timestamptz, p_actor text, p_on_behalf_of text, p_agent_run_id text, p_tool text,
  p_input jsonb, p_outcome jsonb, p_status text, p_content text
) RETURNS TABLE (seq bigint, hash text) LANGUAGE plpgsql AS $$
DECLARE
  v_chain smallint := abs(hashtext(coalesce(p_on_behalf_of, p_actor)) % 16);
  v_prev text;
  v_chain_seq bigint;
  v_seq bigint := nextval('audit_log_seq_seq');
  v_hash text;
BEGIN
  -- Serialises appenders to this chain until the caller's transaction ends.
  PERFORM pg_advisory_xact_lock(7320002, v_chain);
  SELECT a.chain_seq, a.hash INTO v_chain_seq, v_prev FROM audit_log a
    WHERE a.chain = v_chain ORDER BY a.chain_seq DESC LIMIT 1;
  v_chain_seq := coalesce(v_chain_seq, 0) + 1;
  v_prev := coalesce(v_prev, repeat('0', 64));
  v_hash := audit_entry_hash(v_prev, v_seq, v_chain, v_chain_seq, p_content);
  INSERT INTO audit_log (seq, chain, chain_seq, at, actor, on_behalf_of, agent_run_id, tool, input, outcome, status, prev_hash, hash)
  VALUES (v_seq, v_chain, v_chain_seq, p_at, p_actor, p_on_behalf_of, p_agent_run_id, p_tool, p_input, p_outcome, p_status, v_prev, v_hash);
  RETURN QUERY SELECT v_seq, v_hash;
END;
$$;
