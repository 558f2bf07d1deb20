/* obs.h: what one probe observed on a wire-based target: the frames the host sent
 * and the deliveries the jails' sink reported. */
#ifndef OBS_H
#define OBS_H

#include <stdint.h>

#include "sink.h"
#include "target.h"

struct obs {
	struct target_frame	*frame;
	int			 nframe, cframe;
	struct target_delivery	*deliv;
	int			 ndeliv, cdeliv;
};

/* Record a frame: p decoded, or NULL for one that is not IP the harness understands.
 * Out of memory drops the frame. */
void	obs_add_frame(struct obs *, const struct pkt *p, uint64_t t_us);
/* Record the delivery a sink report describes. */
void	obs_add_delivery(struct obs *, const struct sink_report *);
/* Forget the observations (probe boundary); the arrays are kept for reuse. */
void	obs_clear(struct obs *);
/* Free the arrays; the struct may be reused. */
void	obs_free(struct obs *);

#endif
