-- The write half of observation ingest in one call: the hot path's many statements cost one round
-- trip and one plan lookup each, and this keeps them to one. The decisions (screening, the response,
-- the audit entry's canonical content) are made in TypeScript and passed in; this checks the patient
-- and device, writes the rows and appends the audit entry, all in the caller's transaction (or the
-- statement's own). Errors: P0002 names what was not found, 22023 a device of another patient.
CREATE FUNCTION ingest_write(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_device devices%ROWTYPE;
  v_effective timestamptz := (p->>'effectiveAt')::timestamptz;
  v_now timestamptz := (p->>'now')::timestamptz;
  v_gap integer;
  v_esc jsonb := nullif(p->'escalation', 'null'::jsonb);
  v_audit jsonb := p->'audit';
BEGIN
  IF p->>'deviceId' IS NOT NULL THEN
    SELECT * INTO v_device FROM devices WHERE id = p->>'deviceId' FOR UPDATE;
  END IF;
  -- A device of this patient proves the patient exists (foreign key); otherwise look.
  IF v_device.patient_id IS DISTINCT FROM p->>'patientId' THEN
    PERFORM 1 FROM patients WHERE id = p->>'patientId';
    IF NOT FOUND THEN
      RAISE EXCEPTION 'patient' USING ERRCODE = 'P0002';
    END IF;
  END IF;
  IF p->>'deviceId' IS NOT NULL THEN
    IF v_device.id IS NULL OR v_device.patient_id <> p->>'patientId' THEN
      RAISE EXCEPTION 'device' USING ERRCODE = '22023';
    END IF;
    IF v_device.last_seen_at IS NOT NULL
       AND v_effective - v_device.last_seen_at > make_interval(secs => (p->>'staleIntervals')::int * v_device.expected_interval_seconds) THEN
      v_gap := round(extract(epoch FROM v_effective - v_device.last_seen_at) / 60);
    END IF;
    IF v_device.last_seen_at IS NULL OR v_device.last_seen_at < v_effective THEN
      UPDATE devices SET last_seen_at = v_effective, stale_alerted_at = NULL WHERE id = v_device.id;
    END IF;
  END IF;
  INSERT INTO observations (id, patient_id, loinc, kind, value, unit, device_id, effective_at, received_at, source, fhir)
  SELECT o->>'id', p->>'patientId',
         CASE WHEN v_device.kind = 'cgm' AND o->>'cgmCode' IS NOT NULL THEN o->>'cgmCode' ELSE o->>'code' END,
         o->>'kind', (o->>'value')::float8, o->>'unit', p->>'deviceId', v_effective, v_now, p->>'source', nullif(p->'fhir', 'null'::jsonb)
  FROM jsonb_array_elements(p->'readings') o;
  IF v_esc IS NOT NULL THEN
    INSERT INTO escalations (id, patient_id, observation_id, condition, severity, level, status, screen, created_at, updated_at)
    VALUES (v_esc->>'id', p->>'patientId', v_esc->>'observationId', v_esc->>'condition', (v_esc->>'severity')::int,
            v_esc->>'level', 'accepted', (v_esc->'screen') || jsonb_build_object('deviceGapMinutes', v_gap), v_now, v_now);
    INSERT INTO escalation_events (escalation_id, at, step, message, data)
    VALUES (v_esc->>'id', v_now, 'accepted', v_esc->>'message', jsonb_build_object('level', v_esc->>'level'));
    INSERT INTO jobs (queue, payload, run_after, created_at)
    VALUES (v_esc->>'queue', jsonb_build_object('escalationId', v_esc->>'id'), v_now, v_now);
    PERFORM pg_notify('carebridge_jobs', v_esc->>'queue');
  END IF;
  IF jsonb_typeof(p->'idempotency') = 'object' THEN
    INSERT INTO idempotency_keys (owner, key, request_hash, status_code, response, created_at)
    VALUES (p->'idempotency'->>'owner', p->'idempotency'->>'key', p->'idempotency'->>'requestHash',
            (p->'idempotency'->>'statusCode')::int, p->'result', v_now);
  END IF;
  PERFORM audit_append((v_audit->>'at')::timestamptz, v_audit->>'actor', v_audit->>'onBehalfOf', v_audit->>'agentRunId',
                       v_audit->>'tool', v_audit->'input', v_audit->'outcome', v_audit->>'status', v_audit->>'content');
  RETURN jsonb_build_object('deviceGapMinutes', v_gap);
END;
$$;
