-- Appends one audit entry chained to the committed head, in one round trip. The caller passes the
-- entry's canonical JSON (`content`); the hash is sha256(prev_hash \n seq \n content), the same
-- formula the verifier recomputes. The transaction-scoped advisory lock serialises appenders until
-- the caller's transaction ends, so the sequence is gap-free and each entry chains to its
-- predecessor.
CREATE FUNCTION audit_append(
  p_at timestamptz, p_actor text, p_on_behalf_of text, p_agent_run_id text, p_tool text,
  p_input jsonb, p_outcome jsonb, p_status text, p_content text
) RETURNS TABLE (seq bigint, hash text) LANGUAGE plpgsql AS $$
DECLARE
  v_prev text;
  v_seq bigint;
  v_hash text;
BEGIN
  PERFORM pg_advisory_xact_lock(7320002);
  SELECT a.seq, a.hash INTO v_seq, v_prev FROM audit_log a ORDER BY a.seq DESC LIMIT 1;
  v_seq := coalesce(v_seq, 0) + 1;
  v_prev := coalesce(v_prev, repeat('0', 64));
  v_hash := encode(sha256(convert_to(v_prev || E'\n' || v_seq::text || E'\n' || p_content, 'UTF8')), 'hex');
  INSERT INTO audit_log (seq, at, actor, on_behalf_of, agent_run_id, tool, input, outcome, status, prev_hash, hash)
  VALUES (v_seq, p_at, p_actor, p_on_behalf_of, p_agent_run_id, p_tool, p_input, p_outcome, p_status, v_prev, v_hash);
  RETURN QUERY SELECT v_seq, v_hash;
END;
$$;
