// Recording: events, canvas, trajectories.
