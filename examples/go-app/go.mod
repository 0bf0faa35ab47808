module example.com/app

go 1.22

require (
	// Pure Go, not XZ Utils: never flagged, whatever its version.
	github.com/ulikunitz/xz v0.5.11
	golang.org/x/sys v0.20.0 // indirect
)
