CREATE TABLE "shift_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"staff_id" text NOT NULL,
	"day" date NOT NULL,
	"kind" text NOT NULL,
	"want" text NOT NULL,
	"weight" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "staff_leave" (
	"id" text PRIMARY KEY NOT NULL,
	"staff_id" text NOT NULL,
	"kind" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"note" text,
	"created_at" timestamp with time zone NOT NULL,
	"decided_by" text
);
--> statement-breakpoint
CREATE TABLE "staff_skills" (
	"id" text PRIMARY KEY NOT NULL,
	"staff_id" text NOT NULL,
	"skill" text NOT NULL,
	"certified_until" date
);
--> statement-breakpoint
CREATE TABLE "unit_staffing_policies" (
	"unit_id" text PRIMARY KEY NOT NULL,
	"patients_per_nurse" integer NOT NULL,
	"charge_nurses_per_shift" integer DEFAULT 1 NOT NULL,
	"required_skill" text,
	"source" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "shifts" ADD COLUMN "status" text DEFAULT 'scheduled' NOT NULL;--> statement-breakpoint
ALTER TABLE "shifts" ADD COLUMN "clock_in_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "shifts" ADD COLUMN "clock_out_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "employment_type" text DEFAULT 'full-time' NOT NULL;--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "float_eligible" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "contracted_minutes_per_week" integer DEFAULT 2400 NOT NULL;--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "hourly_rate_cents" integer;--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "overtime_basis" text DEFAULT 'weekly-40' NOT NULL;--> statement-breakpoint
ALTER TABLE "shift_requests" ADD CONSTRAINT "shift_requests_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_leave" ADD CONSTRAINT "staff_leave_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_skills" ADD CONSTRAINT "staff_skills_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_staffing_policies" ADD CONSTRAINT "unit_staffing_policies_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "shift_requests_staff_idx" ON "shift_requests" USING btree ("staff_id","day");--> statement-breakpoint
CREATE INDEX "staff_leave_staff_idx" ON "staff_leave" USING btree ("staff_id","starts_on");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_skills_uq" ON "staff_skills" USING btree ("staff_id","skill");--> statement-breakpoint
CREATE INDEX "staff_skills_skill_idx" ON "staff_skills" USING btree ("skill");