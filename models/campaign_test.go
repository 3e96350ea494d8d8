package models

import (
	"testing"
	"time"
)

func TestPhaseAt(t *testing.T) {
	t.Parallel()
	base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	c := Campaign{Status: CampaignPublished, RegistrationOpensAt: base, RegistrationDeadline: base.AddDate(0, 0, 10),
		RunStartsAt: base.AddDate(0, 0, 12), RunEndsAt: base.AddDate(0, 0, 20)}
	tests := []struct {
		name string
		at   time.Time
		want Phase
	}{
		{"before opening", base.Add(-time.Second), PhaseUpcoming},
		{"at opening", base, PhaseOpen},
		{"a second before the deadline", base.AddDate(0, 0, 10).Add(-time.Second), PhaseOpen},
		{"at the deadline registration is closed", base.AddDate(0, 0, 10), PhaseRegistrationClosed},
		{"running", base.AddDate(0, 0, 13), PhaseRunning},
		{"at the end", base.AddDate(0, 0, 20), PhaseEnded},
	}
	for _, tt := range tests {
		if got := c.PhaseAt(tt.at); got != tt.want {
			t.Errorf("%s: phase = %s, want %s", tt.name, got, tt.want)
		}
	}
	draft, closed := c, c
	draft.Status, closed.Status = CampaignDraft, CampaignClosed
	if draft.PhaseAt(base.AddDate(0, 0, 1)) != PhaseDraft || closed.PhaseAt(base.AddDate(0, 0, 1)) != PhaseClosed {
		t.Error("status must win over dates for drafts and closed campaigns")
	}
}

func TestPasswordHash(t *testing.T) {
	t.Parallel()
	h, err := HashPassword("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := VerifyPassword(h, "correct horse"); err != nil || !ok {
		t.Fatalf("the right password was refused: %v %v", ok, err)
	}
	if ok, _ := VerifyPassword(h, "correct horsE"); ok {
		t.Fatal("a wrong password was accepted")
	}
	h2, _ := HashPassword("correct horse")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	if _, err := VerifyPassword("$2a$10$notargon", "x"); err == nil {
		t.Fatal("a hash in another format was not refused")
	}
}
