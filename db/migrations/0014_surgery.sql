CREATE TABLE "bed_bookings" (
	"id" text PRIMARY KEY NOT NULL,
	"unit_id" text NOT NULL,
	"patient_id" text NOT NULL,
	"purpose" text NOT NULL,
	"subject_id" text NOT NULL,
	"from_at" timestamp with time zone NOT NULL,
	"until_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'booked' NOT NULL,
	"bed_request_id" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_reason" text,
	CONSTRAINT "bed_bookings_span" CHECK ("bed_bookings"."until_at" > "bed_bookings"."from_at")
);
--> statement-breakpoint
CREATE TABLE "procedure_items" (
	"procedure_code" text NOT NULL,
	"item_id" text NOT NULL,
	"quantity" numeric NOT NULL,
	"substitutes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "procedure_items_procedure_code_item_id_pk" PRIMARY KEY("procedure_code","item_id"),
	CONSTRAINT "procedure_items_quantity_positive" CHECK ("procedure_items"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "surgery_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"patient_id" text NOT NULL,
	"procedure_code" text NOT NULL,
	"surgeon_staff_id" text NOT NULL,
	"diagnosis_codes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"earliest_at" timestamp with time zone NOT NULL,
	"latest_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'planning' NOT NULL,
	"plan" jsonb,
	"attempts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"alternatives" jsonb,
	"notes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"outcome" text,
	"theatre_booking_id" text,
	"encounter_id" text,
	"revenue_task_id" text,
	"agent_lease_by" text,
	"agent_lease_until" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "surgical_procedures" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"specialty" text NOT NULL,
	"duration_minutes" integer NOT NULL,
	"post_op_unit_type" text,
	"expected_stay_nights" integer DEFAULT 0 NOT NULL,
	"team" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "surgical_team_assignments" (
	"id" text PRIMARY KEY NOT NULL,
	"subject_id" text NOT NULL,
	"theatre_booking_id" text NOT NULL,
	"staff_id" text NOT NULL,
	"role" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'assigned' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_reason" text
);
--> statement-breakpoint
ALTER TABLE "bed_bookings" ADD CONSTRAINT "bed_bookings_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bed_bookings" ADD CONSTRAINT "bed_bookings_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procedure_items" ADD CONSTRAINT "procedure_items_procedure_code_surgical_procedures_code_fk" FOREIGN KEY ("procedure_code") REFERENCES "public"."surgical_procedures"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procedure_items" ADD CONSTRAINT "procedure_items_item_id_inventory_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."inventory_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surgery_requests" ADD CONSTRAINT "surgery_requests_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surgery_requests" ADD CONSTRAINT "surgery_requests_procedure_code_surgical_procedures_code_fk" FOREIGN KEY ("procedure_code") REFERENCES "public"."surgical_procedures"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surgery_requests" ADD CONSTRAINT "surgery_requests_surgeon_staff_id_staff_id_fk" FOREIGN KEY ("surgeon_staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "surgical_team_assignments" ADD CONSTRAINT "surgical_team_assignments_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bed_bookings_unit_idx" ON "bed_bookings" USING btree ("unit_id","from_at") WHERE status = 'booked';--> statement-breakpoint
CREATE UNIQUE INDEX "bed_bookings_subject_uq" ON "bed_bookings" USING btree ("purpose","subject_id") WHERE status = 'booked';--> statement-breakpoint
CREATE INDEX "surgery_requests_status_idx" ON "surgery_requests" USING btree ("status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "surgery_requests_booking_uq" ON "surgery_requests" USING btree ("theatre_booking_id") WHERE theatre_booking_id is not null;--> statement-breakpoint
CREATE INDEX "surgery_requests_encounter_idx" ON "surgery_requests" USING btree ("encounter_id") WHERE encounter_id is not null;--> statement-breakpoint
CREATE INDEX "surgical_team_staff_idx" ON "surgical_team_assignments" USING btree ("staff_id","starts_at") WHERE status = 'assigned';--> statement-breakpoint
CREATE INDEX "surgical_team_subject_idx" ON "surgical_team_assignments" USING btree ("subject_id");--> statement-breakpoint
CREATE UNIQUE INDEX "surgical_team_place_uq" ON "surgical_team_assignments" USING btree ("theatre_booking_id","role") WHERE status = 'assigned';