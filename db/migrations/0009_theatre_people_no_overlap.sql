-- A surgeon operates in one theatre at a time and a patient has one operation at a time. Turnover is
-- the theatre's, not theirs, so these spans end with the case.
ALTER TABLE "theatre_bookings" ADD CONSTRAINT "theatre_bookings_surgeon_no_overlap"
  EXCLUDE USING gist ("surgeon_staff_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&)
  WHERE ("status" = 'booked' AND "surgeon_staff_id" IS NOT NULL);
--> statement-breakpoint
ALTER TABLE "theatre_bookings" ADD CONSTRAINT "theatre_bookings_patient_no_overlap"
  EXCLUDE USING gist ("patient_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&)
  WHERE ("status" = 'booked');
