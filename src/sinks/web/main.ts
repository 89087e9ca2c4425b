import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { followLedger } from './page/live.js';
import { Router } from './page/router.js';
import { shell } from './page/shell.js';
import { VIEWS } from './page/views/index.js';

/** The dashboard's entry point: the frame, the router, and live updates that redraw the current view. */
const frame = shell(VIEWS, (filters) => router.setFilters(filters));
const router = new Router(VIEWS, frame);
document.body.replaceChildren(frame.element);
router.start();
followLedger(
  () => void router.draw(true),
  (state) => frame.live(state),
);
