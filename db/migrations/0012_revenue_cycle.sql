CREATE SEQUENCE "public"."x12_interchange_control" INCREMENT BY 1 MINVALUE 1 MAXVALUE 999999999 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "billing_profiles" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"npi" text NOT NULL,
	"tax_id" text NOT NULL,
	"taxonomy" text NOT NULL,
	"address_line1" text NOT NULL,
	"city" text NOT NULL,
	"state" text NOT NULL,
	"postal_code" text NOT NULL,
	"submitter_id" text NOT NULL,
	"contact_name" text NOT NULL,
	"contact_phone" text NOT NULL,
	"receiver_name" text NOT NULL,
	"receiver_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chargemaster_items" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"code" text NOT NULL,
	"description" text NOT NULL,
	"revenue_code" text NOT NULL,
	"hcpcs_code" text,
	"unit_price_cents" integer NOT NULL,
	"unit_basis" text DEFAULT 'UN' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "charges" (
	"id" text PRIMARY KEY NOT NULL,
	"encounter_id" text NOT NULL,
	"kind" text NOT NULL,
	"source" text NOT NULL,
	"chargemaster_item_id" text NOT NULL,
	"service_date" date NOT NULL,
	"revenue_code" text NOT NULL,
	"procedure_code" text,
	"modifiers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"ndc" text,
	"units" numeric NOT NULL,
	"unit_basis" text NOT NULL,
	"unit_price_cents" integer NOT NULL,
	"amount_cents" integer NOT NULL,
	"performer_id" text,
	"diagnosis_sequences" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"claim_id" text,
	"void_reason" text,
	"captured_by" text NOT NULL,
	"captured_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "claim_payments" (
	"id" text PRIMARY KEY NOT NULL,
	"remittance_id" text NOT NULL,
	"patient_control_number" text NOT NULL,
	"claim_id" text,
	"status" text NOT NULL,
	"hold_reason" text,
	"claim_status_code" text NOT NULL,
	"charge_cents" integer NOT NULL,
	"paid_cents" integer NOT NULL,
	"patient_responsibility_cents" integer DEFAULT 0 NOT NULL,
	"payer_claim_number" text,
	"adjustments" jsonb NOT NULL,
	"lines" jsonb NOT NULL,
	"posted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "claim_submissions" (
	"id" text PRIMARY KEY NOT NULL,
	"adapter" text NOT NULL,
	"interchange_control" bigint NOT NULL,
	"claim_ids" jsonb NOT NULL,
	"location" text NOT NULL,
	"bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"submitted_by" text NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "claim_submissions_interchange_control_unique" UNIQUE("interchange_control")
);
--> statement-breakpoint
CREATE TABLE "claims" (
	"id" text PRIMARY KEY NOT NULL,
	"encounter_id" text NOT NULL,
	"patient_id" text NOT NULL,
	"coverage_id" text NOT NULL,
	"payer_id" text NOT NULL,
	"type" text NOT NULL,
	"frequency" text DEFAULT '1' NOT NULL,
	"replaces_claim_id" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"total_charge_cents" integer NOT NULL,
	"document" jsonb NOT NULL,
	"scrub" jsonb,
	"changes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"question" jsonb,
	"payer_claim_number" text,
	"paid_cents" integer DEFAULT 0 NOT NULL,
	"patient_responsibility_cents" integer DEFAULT 0 NOT NULL,
	"adjusted_cents" integer DEFAULT 0 NOT NULL,
	"submission_id" text,
	"submitted_at" timestamp with time zone,
	"agent_lease_by" text,
	"agent_lease_until" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "coverages" (
	"id" text PRIMARY KEY NOT NULL,
	"patient_id" text NOT NULL,
	"plan_id" text NOT NULL,
	"priority" text DEFAULT 'primary' NOT NULL,
	"member_id" text NOT NULL,
	"group_number" text,
	"relationship" text DEFAULT '18' NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date
);
--> statement-breakpoint
CREATE TABLE "denial_work_items" (
	"id" text PRIMARY KEY NOT NULL,
	"claim_id" text,
	"claim_payment_id" text NOT NULL,
	"category" text NOT NULL,
	"suggested_action" text NOT NULL,
	"reasons" jsonb NOT NULL,
	"amount_cents" integer NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"draft" jsonb,
	"resolution" text,
	"resolved_by" text,
	"created_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "encounter_diagnoses" (
	"encounter_id" text NOT NULL,
	"sequence" integer NOT NULL,
	"code" text NOT NULL,
	"present_on_admission" text
);
--> statement-breakpoint
CREATE TABLE "encounter_services" (
	"id" text PRIMARY KEY NOT NULL,
	"encounter_id" text NOT NULL,
	"kind" text NOT NULL,
	"code" text NOT NULL,
	"modifiers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"quantity" numeric NOT NULL,
	"serviced_on" date NOT NULL,
	"performer_id" text,
	"diagnosis_sequences" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"theatre_booking_id" text,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fee_schedule_entries" (
	"plan_id" text NOT NULL,
	"code" text NOT NULL,
	"allowed_cents" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payer_plans" (
	"id" text PRIMARY KEY NOT NULL,
	"payer_id" text NOT NULL,
	"name" text NOT NULL,
	"prior_auth_codes" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payers" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"x12_payer_id" text NOT NULL,
	"professional_filing_indicator" text NOT NULL,
	"institutional_filing_indicator" text NOT NULL,
	"timely_filing_days" integer,
	"clearinghouse" text DEFAULT 'outbox' NOT NULL,
	CONSTRAINT "payers_x12_payer_id_unique" UNIQUE("x12_payer_id")
);
--> statement-breakpoint
CREATE TABLE "prior_authorizations" (
	"id" text PRIMARY KEY NOT NULL,
	"coverage_id" text NOT NULL,
	"number" text NOT NULL,
	"procedure_codes" jsonb NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date NOT NULL,
	"units" integer
);
--> statement-breakpoint
CREATE TABLE "remittances" (
	"id" text PRIMARY KEY NOT NULL,
	"sha256" text NOT NULL,
	"file_name" text,
	"payer_name" text,
	"x12_payer_id" text,
	"payment_cents" integer NOT NULL,
	"trace_number" text,
	"paid_on" date,
	"provider_adjustments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"claim_count" integer NOT NULL,
	"held_count" integer DEFAULT 0 NOT NULL,
	"text" text NOT NULL,
	"posted_by" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "remittances_sha256_unique" UNIQUE("sha256")
);
--> statement-breakpoint
CREATE TABLE "revenue_tasks" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"subject_id" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"notes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"outcome" text,
	"agent_lease_by" text,
	"agent_lease_until" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "npi" text;--> statement-breakpoint
ALTER TABLE "charges" ADD CONSTRAINT "charges_encounter_id_encounters_id_fk" FOREIGN KEY ("encounter_id") REFERENCES "public"."encounters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "charges" ADD CONSTRAINT "charges_chargemaster_item_id_chargemaster_items_id_fk" FOREIGN KEY ("chargemaster_item_id") REFERENCES "public"."chargemaster_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_payments" ADD CONSTRAINT "claim_payments_remittance_id_remittances_id_fk" FOREIGN KEY ("remittance_id") REFERENCES "public"."remittances"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_payments" ADD CONSTRAINT "claim_payments_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_encounter_id_encounters_id_fk" FOREIGN KEY ("encounter_id") REFERENCES "public"."encounters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_coverage_id_coverages_id_fk" FOREIGN KEY ("coverage_id") REFERENCES "public"."coverages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_payer_id_payers_id_fk" FOREIGN KEY ("payer_id") REFERENCES "public"."payers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coverages" ADD CONSTRAINT "coverages_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coverages" ADD CONSTRAINT "coverages_plan_id_payer_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."payer_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "denial_work_items" ADD CONSTRAINT "denial_work_items_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "denial_work_items" ADD CONSTRAINT "denial_work_items_claim_payment_id_claim_payments_id_fk" FOREIGN KEY ("claim_payment_id") REFERENCES "public"."claim_payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounter_diagnoses" ADD CONSTRAINT "encounter_diagnoses_encounter_id_encounters_id_fk" FOREIGN KEY ("encounter_id") REFERENCES "public"."encounters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounter_services" ADD CONSTRAINT "encounter_services_encounter_id_encounters_id_fk" FOREIGN KEY ("encounter_id") REFERENCES "public"."encounters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounter_services" ADD CONSTRAINT "encounter_services_performer_id_staff_id_fk" FOREIGN KEY ("performer_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounter_services" ADD CONSTRAINT "encounter_services_theatre_booking_id_theatre_bookings_id_fk" FOREIGN KEY ("theatre_booking_id") REFERENCES "public"."theatre_bookings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fee_schedule_entries" ADD CONSTRAINT "fee_schedule_entries_plan_id_payer_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."payer_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payer_plans" ADD CONSTRAINT "payer_plans_payer_id_payers_id_fk" FOREIGN KEY ("payer_id") REFERENCES "public"."payers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prior_authorizations" ADD CONSTRAINT "prior_authorizations_coverage_id_coverages_id_fk" FOREIGN KEY ("coverage_id") REFERENCES "public"."coverages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "chargemaster_kind_code_uq" ON "chargemaster_items" USING btree ("kind","code");--> statement-breakpoint
CREATE UNIQUE INDEX "charges_source_uq" ON "charges" USING btree ("encounter_id","source") WHERE status <> 'voided';--> statement-breakpoint
CREATE INDEX "charges_encounter_idx" ON "charges" USING btree ("encounter_id","status");--> statement-breakpoint
CREATE INDEX "claim_payments_claim_idx" ON "claim_payments" USING btree ("claim_id");--> statement-breakpoint
CREATE INDEX "claim_payments_held_idx" ON "claim_payments" USING btree ("status") WHERE status = 'held';--> statement-breakpoint
CREATE INDEX "claims_encounter_idx" ON "claims" USING btree ("encounter_id");--> statement-breakpoint
CREATE INDEX "claims_status_idx" ON "claims" USING btree ("status","updated_at");--> statement-breakpoint
CREATE INDEX "coverages_patient_idx" ON "coverages" USING btree ("patient_id");--> statement-breakpoint
CREATE UNIQUE INDEX "denial_work_items_payment_uq" ON "denial_work_items" USING btree ("claim_payment_id");--> statement-breakpoint
CREATE INDEX "denial_work_items_status_idx" ON "denial_work_items" USING btree ("status","category");--> statement-breakpoint
CREATE UNIQUE INDEX "encounter_diagnoses_uq" ON "encounter_diagnoses" USING btree ("encounter_id","sequence");--> statement-breakpoint
CREATE INDEX "encounter_services_encounter_idx" ON "encounter_services" USING btree ("encounter_id");--> statement-breakpoint
CREATE UNIQUE INDEX "fee_schedule_plan_code_uq" ON "fee_schedule_entries" USING btree ("plan_id","code");--> statement-breakpoint
CREATE INDEX "payer_plans_payer_idx" ON "payer_plans" USING btree ("payer_id");--> statement-breakpoint
CREATE INDEX "prior_authorizations_coverage_idx" ON "prior_authorizations" USING btree ("coverage_id");--> statement-breakpoint
CREATE UNIQUE INDEX "revenue_tasks_subject_uq" ON "revenue_tasks" USING btree ("kind","subject_id");