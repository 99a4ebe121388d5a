import { benchPlugin } from '../../plugins_bench/bench_plugin.js'

/* Discovered only when PLUGIN_DIRS includes bench/plugins (bench/plugins.ts sets it). */
export default benchPlugin('bench_one', 'Bench plugin One')
