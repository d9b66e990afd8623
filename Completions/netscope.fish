function __netscope_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __netscope_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __netscope_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __netscope_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __netscope_parse_tokens -S
    set -l unparsed_tokens (__netscope_tokens -pc)
    switch $unparsed_tokens[1]
    case 'netscope'
        __netscope_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'overview'
            __netscope_parse_subcommand 0 'netns=' 'netns-pid=' 'proc-root=' 'json' 'ndjson' 'no-header' 'color=' 'all-netns' 'interval=' 'top=' 'version' 'h/help'
        case 'top'
            __netscope_parse_subcommand 0 'netns=' 'netns-pid=' 'proc-root=' 'color=' 'all-netns' 'interval=' 'version' 'h/help'
        case 'snapshot'
            __netscope_parse_subcommand 0 'netns=' 'netns-pid=' 'proc-root=' 'json' 'ndjson' 'no-header' 'color=' 'all-netns' 'o/output=' 'version' 'h/help'
        case 'diff'
            __netscope_parse_subcommand 2 'netns=' 'netns-pid=' 'proc-root=' 'json' 'ndjson' 'no-header' 'color=' 'exit-code' 'sockets=' 'version' 'h/help'
        case 'metrics'
            __netscope_parse_subcommand 0 'netns=' 'netns-pid=' 'proc-root=' 'collectors=' 'device-include=' 'device-exclude=' 'protocol-fields=' 'max-ports=' 'openmetrics' 'o/output=' 'version' 'h/help'
        case 'serve'
            __netscope_parse_subcommand 0 'netns=' 'netns-pid=' 'proc-root=' 'collectors=' 'device-include=' 'device-exclude=' 'protocol-fields=' 'max-ports=' 'listen=' 'max-connections=' 'request-timeout=' 'version' 'h/help'
        case 'links'
            __netscope_parse_subcommand -r 1 'netns=' 'netns-pid=' 'proc-root=' 'json' 'ndjson' 'no-header' 'color=' 'up' 'version' 'h/help'
        case 'addrs'
            __netscope_parse_subcommand -r 1 'netns=' 'netns-pid=' 'proc-root=' 'json' 'ndjson' 'no-header' 'color=' 'up' '4' '6' 'version' 'h/help'
        case 'routes'
            __netscope_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'show'
                __netscope_parse_subcommand -r 1 'netns=' 'netns-pid=' 'proc-root=' 'json' 'ndjson' 'no-header' 'color=' 'table=' '4' '6' 'version' 'h/help'
            case 'get'
                __netscope_parse_subcommand -r 1 'netns=' 'netns-pid=' 'proc-root=' 'json' 'ndjson' 'no-header' 'color=' 'version' 'h/help'
            end
        case 'rules'
            __netscope_parse_subcommand 0 'netns=' 'netns-pid=' 'proc-root=' 'json' 'ndjson' 'no-header' 'color=' '4' '6' 'version' 'h/help'
        case 'neighbors'
            __netscope_parse_subcommand -r 1 'netns=' 'netns-pid=' 'proc-root=' 'json' 'ndjson' 'no-header' 'color=' '4' '6' 'a/all' 'version' 'h/help'
        case 'qdiscs'
            __netscope_parse_subcommand -r 1 'netns=' 'netns-pid=' 'proc-root=' 'json' 'ndjson' 'no-header' 'color=' 'version' 'h/help'
        case 'classes'
            __netscope_parse_subcommand -r 1 'netns=' 'netns-pid=' 'proc-root=' 'json' 'ndjson' 'no-header' 'color=' 'version' 'h/help'
        case 'watch'
            __netscope_parse_subcommand -r 1 'netns=' 'netns-pid=' 'proc-root=' 'ndjson' 'color=' 'initial' 'version' 'h/help'
        case 'sockets'
            __netscope_parse_subcommand -r 1 'netns=' 'netns-pid=' 'proc-root=' 'json' 'ndjson' 'no-header' 'color=' 't/tcp' 'u/udp' 'w/raw' 'x/unix' '0/packet' 'netlink' 'M/mptcp' 'S/sctp' '4' '6' 'a/all' 'l/listening' 'n/numeric' 'H' 'e/extended' 'm/memory' 'i/info' 'o/options' 'p/processes' 's/summary' 'N=' 'sort=' 'source=' 'version' 'h/help'
        case 'counters'
            __netscope_parse_subcommand -r 1 'netns=' 'netns-pid=' 'proc-root=' 'json' 'ndjson' 'no-header' 'color=' 'up' 'interval=' 'count=' 'd/details' 'exact' 'version' 'h/help'
        case 'stats'
            __netscope_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'protocols'
                __netscope_parse_subcommand -r 1 'netns=' 'netns-pid=' 'proc-root=' 'json' 'ndjson' 'no-header' 'color=' 'interval=' 'count=' 'z/zeros' 'softnet' 'version' 'h/help'
            case 'link'
                __netscope_parse_subcommand -r 1 'netns=' 'netns-pid=' 'proc-root=' 'json' 'ndjson' 'no-header' 'color=' 'up' 'interval=' 'count=' 'd/details' 'exact' 'version' 'h/help'
            end
        case 'help'
            __netscope_parse_subcommand -r 1 'version'
        end
    end
end

function __netscope_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __netscope_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __netscope_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __netscope_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__netscope_tokens -p)
    if test -z "$(__netscope_tokens -t)"
        set -l index (count (__netscope_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'netscope' -f
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope" version' -l 'version' -d 'Show the version.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope" -eq 1' -fa 'overview' -d 'One screen about the whole stack: interfaces and rates, routing, sockets, listeners, talkers, protocol health.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope" -eq 1' -fa 'top' -d 'A live full-screen view of the overview, refreshed every interval.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope" -eq 1' -fa 'snapshot' -d 'Write the whole state (links, addresses, routes, rules, neighbours, sockets, counters) as one JSON document.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope" -eq 1' -fa 'diff' -d 'Compare two snapshots (or one with now): what appeared, vanished or changed, and counter deltas.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope" -eq 1' -fa 'metrics' -d 'Print Prometheus metrics (text format 0.0.4, or OpenMetrics 1.0 with --openmetrics).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope" -eq 1' -fa 'serve' -d 'Serve Prometheus metrics over HTTP (GET /metrics), collected at scrape time.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope" -eq 1' -fa 'links' -d 'List network interfaces (like `ip link`).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope" -eq 1' -fa 'addrs' -d 'List interface addresses, IPv4 and IPv6 (like `ip addr`).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope" -eq 1' -fa 'routes' -d 'List routes (like `ip route`), or ask the kernel which route it would use (`route get`).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope" -eq 1' -fa 'rules' -d 'List policy routing rules (like `ip rule`).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope" -eq 1' -fa 'neighbors' -d 'List the ARP and NDP neighbour caches (like `ip neigh`).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope" -eq 1' -fa 'qdiscs' -d 'List queueing disciplines with their statistics (like `tc -s qdisc show`).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope" -eq 1' -fa 'classes' -d 'List traffic classes with their statistics (like `tc -s class show`).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope" -eq 1' -fa 'watch' -d 'Follow route, link, address, neighbour and rule changes live (like `ip monitor`).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope" -eq 1' -fa 'sockets' -d 'List sockets over sock_diag, like `ss`.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope" -eq 1' -fa 'counters' -d 'Per-interface packet, byte, error and drop counters, or live rates (also `netscope stats link`).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope" -eq 1' -fa 'stats' -d 'Protocol counters from /proc/net (like `nstat`), softnet per CPU, or `stats link`.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope overview" netns' -l 'netns' -d 'Read the named network namespace (/run/netns/NAME).' -rfka '(__netscope_custom_completion ---completion overview -- --netns (count (__netscope_tokens -pc)) (__netscope_tokens -tC))'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope overview" netns-pid' -l 'netns-pid' -d 'Read the network namespace of process PID.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope overview" proc-root' -l 'proc-root' -d 'Read /proc files from DIR instead of /proc (a captured tree); default: $NETSCOPE_PROC_ROOT or /proc.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope overview" json' -l 'json' -d 'Print one JSON document (field names follow iproute2\'s `-j`).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope overview" ndjson' -l 'ndjson' -d 'Print newline-delimited JSON: one object per line.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope overview" no-header' -l 'no-header' -d 'Leave out the table header.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope overview" color' -l 'color' -d 'Color the table: auto, always or never.' -rfka 'auto always never'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope overview" all-netns' -l 'all-netns' -d 'Read every named network namespace (/run/netns) and label each section.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope overview" interval' -l 'interval' -d 'Seconds between the two samples; 0 reads once (no rates).' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope overview" top' -l 'top' -d 'How many listeners and talkers to show.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope overview" version' -l 'version' -d 'Show the version.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope overview" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope top" netns' -l 'netns' -d 'Read the named network namespace (/run/netns/NAME).' -rfka '(__netscope_custom_completion ---completion top -- --netns (count (__netscope_tokens -pc)) (__netscope_tokens -tC))'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope top" netns-pid' -l 'netns-pid' -d 'Read the network namespace of process PID.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope top" proc-root' -l 'proc-root' -d 'Read /proc files from DIR instead of /proc (a captured tree); default: $NETSCOPE_PROC_ROOT or /proc.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope top" color' -l 'color' -d 'Color the screen: auto, always or never.' -rfka 'auto always never'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope top" all-netns' -l 'all-netns' -d 'Read every named network namespace (/run/netns) and label each section.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope top" interval' -l 'interval' -d 'Seconds between refreshes.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope top" version' -l 'version' -d 'Show the version.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope top" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope snapshot" netns' -l 'netns' -d 'Read the named network namespace (/run/netns/NAME).' -rfka '(__netscope_custom_completion ---completion snapshot -- --netns (count (__netscope_tokens -pc)) (__netscope_tokens -tC))'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope snapshot" netns-pid' -l 'netns-pid' -d 'Read the network namespace of process PID.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope snapshot" proc-root' -l 'proc-root' -d 'Read /proc files from DIR instead of /proc (a captured tree); default: $NETSCOPE_PROC_ROOT or /proc.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope snapshot" json' -l 'json' -d 'Print one JSON document (field names follow iproute2\'s `-j`).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope snapshot" ndjson' -l 'ndjson' -d 'Print newline-delimited JSON: one object per line.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope snapshot" no-header' -l 'no-header' -d 'Leave out the table header.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope snapshot" color' -l 'color' -d 'Color the table: auto, always or never.' -rfka 'auto always never'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope snapshot" all-netns' -l 'all-netns' -d 'Read every named network namespace (/run/netns) and label each section.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope snapshot" o output' -s 'o' -l 'output' -d 'Write to FILE (atomically: a temporary file renamed into place) instead of standard output.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope snapshot" version' -l 'version' -d 'Show the version.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope snapshot" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope diff" netns' -l 'netns' -d 'Read the named network namespace (/run/netns/NAME).' -rfka '(__netscope_custom_completion ---completion diff -- --netns (count (__netscope_tokens -pc)) (__netscope_tokens -tC))'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope diff" netns-pid' -l 'netns-pid' -d 'Read the network namespace of process PID.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope diff" proc-root' -l 'proc-root' -d 'Read /proc files from DIR instead of /proc (a captured tree); default: $NETSCOPE_PROC_ROOT or /proc.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope diff" json' -l 'json' -d 'Print one JSON document (field names follow iproute2\'s `-j`).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope diff" ndjson' -l 'ndjson' -d 'Print newline-delimited JSON: one object per line.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope diff" no-header' -l 'no-header' -d 'Leave out the table header.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope diff" color' -l 'color' -d 'Color the table: auto, always or never.' -rfka 'auto always never'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope diff" exit-code' -l 'exit-code' -d 'Exit with 1 when objects differ.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope diff" sockets' -l 'sockets' -d 'Which sockets to compare: none, listening or all.' -rfka 'none listening all'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope diff" version' -l 'version' -d 'Show the version.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope diff" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope metrics" netns' -l 'netns' -d 'Read the named network namespace (/run/netns/NAME).' -rfka '(__netscope_custom_completion ---completion metrics -- --netns (count (__netscope_tokens -pc)) (__netscope_tokens -tC))'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope metrics" netns-pid' -l 'netns-pid' -d 'Read the network namespace of process PID.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope metrics" proc-root' -l 'proc-root' -d 'Read /proc files from DIR instead of /proc (a captured tree); default: $NETSCOPE_PROC_ROOT or /proc.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope metrics" collectors' -l 'collectors' -d 'Comma-separated collectors, or all: interfaces, protocols, sockstat, softnet, sockets, listeners, tcpinfo, routes, neighbors. Default: all but tcpinfo (it reads tcp_info of every connection to a listening port).' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope metrics" device-include' -l 'device-include' -d 'Only interfaces whose whole name matches REGEX.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope metrics" device-exclude' -l 'device-exclude' -d 'Leave out interfaces whose whole name matches REGEX.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope metrics" protocol-fields' -l 'protocol-fields' -d 'Only protocol counters whose Group.Field matches REGEX (e.g. \'Tcp.*|TcpExt.Listen.*\').' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope metrics" max-ports' -l 'max-ports' -d 'At most N listening ports get per-port series (those with a full accept queue first, then the busiest); the rest are counted in netscope_scrape_series_truncated.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope metrics" openmetrics' -l 'openmetrics' -d 'Write OpenMetrics 1.0 text (ends with # EOF) instead of the 0.0.4 format.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope metrics" o output' -s 'o' -l 'output' -d 'Write to FILE atomically instead of standard output.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope metrics" version' -l 'version' -d 'Show the version.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope metrics" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope serve" netns' -l 'netns' -d 'Read the named network namespace (/run/netns/NAME).' -rfka '(__netscope_custom_completion ---completion serve -- --netns (count (__netscope_tokens -pc)) (__netscope_tokens -tC))'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope serve" netns-pid' -l 'netns-pid' -d 'Read the network namespace of process PID.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope serve" proc-root' -l 'proc-root' -d 'Read /proc files from DIR instead of /proc (a captured tree); default: $NETSCOPE_PROC_ROOT or /proc.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope serve" collectors' -l 'collectors' -d 'Comma-separated collectors, or all: interfaces, protocols, sockstat, softnet, sockets, listeners, tcpinfo, routes, neighbors. Default: all but tcpinfo (it reads tcp_info of every connection to a listening port).' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope serve" device-include' -l 'device-include' -d 'Only interfaces whose whole name matches REGEX.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope serve" device-exclude' -l 'device-exclude' -d 'Leave out interfaces whose whole name matches REGEX.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope serve" protocol-fields' -l 'protocol-fields' -d 'Only protocol counters whose Group.Field matches REGEX (e.g. \'Tcp.*|TcpExt.Listen.*\').' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope serve" max-ports' -l 'max-ports' -d 'At most N listening ports get per-port series (those with a full accept queue first, then the busiest); the rest are counted in netscope_scrape_series_truncated.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope serve" listen' -l 'listen' -d 'Address and port to listen on: HOST:PORT, [IPV6]:PORT or :PORT (all addresses).' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope serve" max-connections' -l 'max-connections' -d 'Connections served at once.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope serve" request-timeout' -l 'request-timeout' -d 'Seconds a client has to send a whole request.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope serve" version' -l 'version' -d 'Show the version.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope serve" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope links" netns' -l 'netns' -d 'Read the named network namespace (/run/netns/NAME).' -rfka '(__netscope_custom_completion ---completion links -- --netns (count (__netscope_tokens -pc)) (__netscope_tokens -tC))'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope links" netns-pid' -l 'netns-pid' -d 'Read the network namespace of process PID.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope links" proc-root' -l 'proc-root' -d 'Read /proc files from DIR instead of /proc (a captured tree); default: $NETSCOPE_PROC_ROOT or /proc.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope links" json' -l 'json' -d 'Print one JSON document (field names follow iproute2\'s `-j`).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope links" ndjson' -l 'ndjson' -d 'Print newline-delimited JSON: one object per line.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope links" no-header' -l 'no-header' -d 'Leave out the table header.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope links" color' -l 'color' -d 'Color the table: auto, always or never.' -rfka 'auto always never'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope links" -ge 1' -fka '(__netscope_custom_completion ---completion links -- positional@0 (count (__netscope_tokens -pc)) (__netscope_tokens -tC))'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope links" up' -l 'up' -d 'Only interfaces that are administratively up.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope links" version' -l 'version' -d 'Show the version.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope links" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope addrs" netns' -l 'netns' -d 'Read the named network namespace (/run/netns/NAME).' -rfka '(__netscope_custom_completion ---completion addrs -- --netns (count (__netscope_tokens -pc)) (__netscope_tokens -tC))'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope addrs" netns-pid' -l 'netns-pid' -d 'Read the network namespace of process PID.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope addrs" proc-root' -l 'proc-root' -d 'Read /proc files from DIR instead of /proc (a captured tree); default: $NETSCOPE_PROC_ROOT or /proc.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope addrs" json' -l 'json' -d 'Print one JSON document (field names follow iproute2\'s `-j`).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope addrs" ndjson' -l 'ndjson' -d 'Print newline-delimited JSON: one object per line.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope addrs" no-header' -l 'no-header' -d 'Leave out the table header.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope addrs" color' -l 'color' -d 'Color the table: auto, always or never.' -rfka 'auto always never'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope addrs" -ge 1' -fka '(__netscope_custom_completion ---completion addrs -- positional@0 (count (__netscope_tokens -pc)) (__netscope_tokens -tC))'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope addrs" up' -l 'up' -d 'Only interfaces that are administratively up.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope addrs" 4' -s '4' -d 'IPv4 addresses only.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope addrs" 6' -s '6' -d 'IPv6 addresses only.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope addrs" version' -l 'version' -d 'Show the version.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope addrs" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope routes" version' -l 'version' -d 'Show the version.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope routes" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope routes" -eq 1' -fa 'show' -d 'IPv4 and IPv6 routes of one table or all of them.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope routes" -eq 1' -fa 'get' -d 'The route the kernel picks for ADDR (RTM_GETROUTE, like `ip route get`).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope routes show" netns' -l 'netns' -d 'Read the named network namespace (/run/netns/NAME).' -rfka '(__netscope_custom_completion ---completion routes show -- --netns (count (__netscope_tokens -pc)) (__netscope_tokens -tC))'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope routes show" netns-pid' -l 'netns-pid' -d 'Read the network namespace of process PID.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope routes show" proc-root' -l 'proc-root' -d 'Read /proc files from DIR instead of /proc (a captured tree); default: $NETSCOPE_PROC_ROOT or /proc.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope routes show" json' -l 'json' -d 'Print one JSON document (field names follow iproute2\'s `-j`).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope routes show" ndjson' -l 'ndjson' -d 'Print newline-delimited JSON: one object per line.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope routes show" no-header' -l 'no-header' -d 'Leave out the table header.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope routes show" color' -l 'color' -d 'Color the table: auto, always or never.' -rfka 'auto always never'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope routes show" table' -l 'table' -d 'Table: all, main, local, default, a number or a name from rt_tables (default: main, as ip).' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope routes show" -ge 1' -fka '(__netscope_custom_completion ---completion routes show -- positional@0 (count (__netscope_tokens -pc)) (__netscope_tokens -tC))'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope routes show" 4' -s '4' -d 'IPv4 only.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope routes show" 6' -s '6' -d 'IPv6 only.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope routes show" version' -l 'version' -d 'Show the version.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope routes show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope routes get" netns' -l 'netns' -d 'Read the named network namespace (/run/netns/NAME).' -rfka '(__netscope_custom_completion ---completion routes get -- --netns (count (__netscope_tokens -pc)) (__netscope_tokens -tC))'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope routes get" netns-pid' -l 'netns-pid' -d 'Read the network namespace of process PID.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope routes get" proc-root' -l 'proc-root' -d 'Read /proc files from DIR instead of /proc (a captured tree); default: $NETSCOPE_PROC_ROOT or /proc.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope routes get" json' -l 'json' -d 'Print one JSON document (field names follow iproute2\'s `-j`).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope routes get" ndjson' -l 'ndjson' -d 'Print newline-delimited JSON: one object per line.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope routes get" no-header' -l 'no-header' -d 'Leave out the table header.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope routes get" color' -l 'color' -d 'Color the table: auto, always or never.' -rfka 'auto always never'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope routes get" version' -l 'version' -d 'Show the version.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope routes get" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope rules" netns' -l 'netns' -d 'Read the named network namespace (/run/netns/NAME).' -rfka '(__netscope_custom_completion ---completion rules -- --netns (count (__netscope_tokens -pc)) (__netscope_tokens -tC))'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope rules" netns-pid' -l 'netns-pid' -d 'Read the network namespace of process PID.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope rules" proc-root' -l 'proc-root' -d 'Read /proc files from DIR instead of /proc (a captured tree); default: $NETSCOPE_PROC_ROOT or /proc.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope rules" json' -l 'json' -d 'Print one JSON document (field names follow iproute2\'s `-j`).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope rules" ndjson' -l 'ndjson' -d 'Print newline-delimited JSON: one object per line.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope rules" no-header' -l 'no-header' -d 'Leave out the table header.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope rules" color' -l 'color' -d 'Color the table: auto, always or never.' -rfka 'auto always never'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope rules" 4' -s '4' -d 'IPv4 only.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope rules" 6' -s '6' -d 'IPv6 only.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope rules" version' -l 'version' -d 'Show the version.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope rules" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope neighbors" netns' -l 'netns' -d 'Read the named network namespace (/run/netns/NAME).' -rfka '(__netscope_custom_completion ---completion neighbors -- --netns (count (__netscope_tokens -pc)) (__netscope_tokens -tC))'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope neighbors" netns-pid' -l 'netns-pid' -d 'Read the network namespace of process PID.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope neighbors" proc-root' -l 'proc-root' -d 'Read /proc files from DIR instead of /proc (a captured tree); default: $NETSCOPE_PROC_ROOT or /proc.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope neighbors" json' -l 'json' -d 'Print one JSON document (field names follow iproute2\'s `-j`).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope neighbors" ndjson' -l 'ndjson' -d 'Print newline-delimited JSON: one object per line.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope neighbors" no-header' -l 'no-header' -d 'Leave out the table header.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope neighbors" color' -l 'color' -d 'Color the table: auto, always or never.' -rfka 'auto always never'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope neighbors" 4' -s '4' -d 'IPv4 (ARP) only.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope neighbors" 6' -s '6' -d 'IPv6 (NDP) only.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope neighbors" a all' -s 'a' -l 'all' -d 'Also entries in NOARP or no state (multicast mappings), as `ip neigh show nud all`.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope neighbors" -ge 1' -fka '(__netscope_custom_completion ---completion neighbors -- positional@0 (count (__netscope_tokens -pc)) (__netscope_tokens -tC))'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope neighbors" version' -l 'version' -d 'Show the version.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope neighbors" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope qdiscs" netns' -l 'netns' -d 'Read the named network namespace (/run/netns/NAME).' -rfka '(__netscope_custom_completion ---completion qdiscs -- --netns (count (__netscope_tokens -pc)) (__netscope_tokens -tC))'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope qdiscs" netns-pid' -l 'netns-pid' -d 'Read the network namespace of process PID.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope qdiscs" proc-root' -l 'proc-root' -d 'Read /proc files from DIR instead of /proc (a captured tree); default: $NETSCOPE_PROC_ROOT or /proc.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope qdiscs" json' -l 'json' -d 'Print one JSON document (field names follow iproute2\'s `-j`).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope qdiscs" ndjson' -l 'ndjson' -d 'Print newline-delimited JSON: one object per line.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope qdiscs" no-header' -l 'no-header' -d 'Leave out the table header.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope qdiscs" color' -l 'color' -d 'Color the table: auto, always or never.' -rfka 'auto always never'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope qdiscs" -ge 1' -fka '(__netscope_custom_completion ---completion qdiscs -- positional@0 (count (__netscope_tokens -pc)) (__netscope_tokens -tC))'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope qdiscs" version' -l 'version' -d 'Show the version.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope qdiscs" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope classes" netns' -l 'netns' -d 'Read the named network namespace (/run/netns/NAME).' -rfka '(__netscope_custom_completion ---completion classes -- --netns (count (__netscope_tokens -pc)) (__netscope_tokens -tC))'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope classes" netns-pid' -l 'netns-pid' -d 'Read the network namespace of process PID.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope classes" proc-root' -l 'proc-root' -d 'Read /proc files from DIR instead of /proc (a captured tree); default: $NETSCOPE_PROC_ROOT or /proc.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope classes" json' -l 'json' -d 'Print one JSON document (field names follow iproute2\'s `-j`).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope classes" ndjson' -l 'ndjson' -d 'Print newline-delimited JSON: one object per line.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope classes" no-header' -l 'no-header' -d 'Leave out the table header.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope classes" color' -l 'color' -d 'Color the table: auto, always or never.' -rfka 'auto always never'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope classes" -ge 1' -fka '(__netscope_custom_completion ---completion classes -- positional@0 (count (__netscope_tokens -pc)) (__netscope_tokens -tC))'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope classes" version' -l 'version' -d 'Show the version.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope classes" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope watch" netns' -l 'netns' -d 'Read the named network namespace (/run/netns/NAME).' -rfka '(__netscope_custom_completion ---completion watch -- --netns (count (__netscope_tokens -pc)) (__netscope_tokens -tC))'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope watch" netns-pid' -l 'netns-pid' -d 'Read the network namespace of process PID.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope watch" proc-root' -l 'proc-root' -d 'Read /proc files from DIR instead of /proc (a captured tree); default: $NETSCOPE_PROC_ROOT or /proc.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope watch" ndjson' -l 'ndjson' -d 'Print newline-delimited JSON: one event object per line.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope watch" color' -l 'color' -d 'Color the lines: auto, always or never.' -rfka 'auto always never'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope watch" -ge 1' -fka 'links addrs routes neigh rules'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope watch" initial' -l 'initial' -d 'First report the current state as `initial` events.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope watch" version' -l 'version' -d 'Show the version.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope watch" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" netns' -l 'netns' -d 'Read the named network namespace (/run/netns/NAME).' -rfka '(__netscope_custom_completion ---completion sockets -- --netns (count (__netscope_tokens -pc)) (__netscope_tokens -tC))'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" netns-pid' -l 'netns-pid' -d 'Read the network namespace of process PID.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" proc-root' -l 'proc-root' -d 'Read /proc files from DIR instead of /proc (a captured tree); default: $NETSCOPE_PROC_ROOT or /proc.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" json' -l 'json' -d 'Print one JSON document (field names follow iproute2\'s `-j`).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" ndjson' -l 'ndjson' -d 'Print newline-delimited JSON: one object per line.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" no-header' -l 'no-header' -d 'Leave out the table header.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" color' -l 'color' -d 'Color the table: auto, always or never.' -rfka 'auto always never'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" t tcp' -s 't' -l 'tcp' -d 'TCP sockets.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" u udp' -s 'u' -l 'udp' -d 'UDP sockets.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" raw w' -s 'w' -l 'raw' -d 'RAW sockets.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" unix x' -s 'x' -l 'unix' -d 'UNIX sockets.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" 0 packet' -s '0' -l 'packet' -d 'PACKET sockets.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" netlink' -l 'netlink' -d 'NETLINK sockets.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" M mptcp' -s 'M' -l 'mptcp' -d 'MPTCP sockets.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" S sctp' -s 'S' -l 'sctp' -d 'SCTP sockets.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" 4' -s '4' -d 'IPv4 only.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" 6' -s '6' -d 'IPv6 only.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" a all' -s 'a' -l 'all' -d 'All states, listening and unconnected included.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" l listening' -s 'l' -l 'listening' -d 'Only listening (and unconnected) sockets.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" n numeric' -s 'n' -l 'numeric' -d 'Accepted for ss compatibility: names are never resolved.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" H' -s 'H' -d 'Leave out the header (same as --no-header).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" e extended' -s 'e' -l 'extended' -d 'uid, inode, cookie, cgroup.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" m memory' -s 'm' -l 'memory' -d 'Socket memory (skmem).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" i info' -s 'i' -l 'info' -d 'TCP internals (tcp_info, congestion control).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" o options' -s 'o' -l 'options' -d 'Timers.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" p processes' -s 'p' -l 'processes' -d 'Processes holding each socket.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" s summary' -s 's' -l 'summary' -d 'Summary from /proc/net/sockstat and snmp.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" N' -s 'N' -d 'Same as --netns NAME (ss\'s -N).' -rfka '(__netscope_custom_completion ---completion sockets -- -N (count (__netscope_tokens -pc)) (__netscope_tokens -tC))'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" sort' -l 'sort' -d 'Sort by: netid, state, local, peer, recv-q, send-q, inode, uid, rtt, bytes-sent, bytes-received, process.' -rfka 'netid state local peer recv-q send-q inode uid rtt bytes-sent bytes-received process'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" source' -l 'source' -d 'Where to read sockets: auto (sock_diag, /proc where it is missing), netlink, proc.' -rfka 'auto netlink proc'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope sockets" -ge 1' -fka '(__netscope_custom_completion ---completion sockets -- positional@0 (count (__netscope_tokens -pc)) (__netscope_tokens -tC))'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" version' -l 'version' -d 'Show the version.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope sockets" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope counters" netns' -l 'netns' -d 'Read the named network namespace (/run/netns/NAME).' -rfka '(__netscope_custom_completion ---completion counters -- --netns (count (__netscope_tokens -pc)) (__netscope_tokens -tC))'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope counters" netns-pid' -l 'netns-pid' -d 'Read the network namespace of process PID.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope counters" proc-root' -l 'proc-root' -d 'Read /proc files from DIR instead of /proc (a captured tree); default: $NETSCOPE_PROC_ROOT or /proc.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope counters" json' -l 'json' -d 'Print one JSON document (field names follow iproute2\'s `-j`).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope counters" ndjson' -l 'ndjson' -d 'Print newline-delimited JSON: one object per line.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope counters" no-header' -l 'no-header' -d 'Leave out the table header.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope counters" color' -l 'color' -d 'Color the table: auto, always or never.' -rfka 'auto always never'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope counters" -ge 1' -fka '(__netscope_custom_completion ---completion counters -- positional@0 (count (__netscope_tokens -pc)) (__netscope_tokens -tC))'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope counters" up' -l 'up' -d 'Only interfaces that are administratively up.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope counters" interval' -l 'interval' -d 'Show rates over SECS-second intervals instead of totals (0: totals, read once).' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope counters" count' -l 'count' -d 'With --interval: stop after N intervals (default: until interrupted).' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope counters" d details' -s 'd' -l 'details' -d 'Add the error breakdown (like `ip -s -s`).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope counters" exact' -l 'exact' -d 'Print exact numbers instead of K/M/G units.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope counters" version' -l 'version' -d 'Show the version.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope counters" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope stats" version' -l 'version' -d 'Show the version.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope stats" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope stats" -eq 1' -fa 'protocols' -d 'Every counter of /proc/net/snmp, netstat and snmp6 as Group.Field value.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope stats" -eq 1' -fa 'link' -d 'Same as `netscope counters`.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope stats protocols" netns' -l 'netns' -d 'Read the named network namespace (/run/netns/NAME).' -rfka '(__netscope_custom_completion ---completion stats protocols -- --netns (count (__netscope_tokens -pc)) (__netscope_tokens -tC))'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope stats protocols" netns-pid' -l 'netns-pid' -d 'Read the network namespace of process PID.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope stats protocols" proc-root' -l 'proc-root' -d 'Read /proc files from DIR instead of /proc (a captured tree); default: $NETSCOPE_PROC_ROOT or /proc.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope stats protocols" json' -l 'json' -d 'Print one JSON document (field names follow iproute2\'s `-j`).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope stats protocols" ndjson' -l 'ndjson' -d 'Print newline-delimited JSON: one object per line.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope stats protocols" no-header' -l 'no-header' -d 'Leave out the table header.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope stats protocols" color' -l 'color' -d 'Color the table: auto, always or never.' -rfka 'auto always never'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope stats protocols" interval' -l 'interval' -d 'Show rates over SECS-second intervals instead of totals (0: totals, read once).' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope stats protocols" count' -l 'count' -d 'With --interval: stop after N intervals (default: until interrupted).' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope stats protocols" z zeros' -s 'z' -l 'zeros' -d 'Show counters that are zero (or did not change).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope stats protocols" softnet' -l 'softnet' -d 'Show per-CPU softnet statistics instead.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope stats protocols" version' -l 'version' -d 'Show the version.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope stats protocols" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope stats link" netns' -l 'netns' -d 'Read the named network namespace (/run/netns/NAME).' -rfka '(__netscope_custom_completion ---completion stats link -- --netns (count (__netscope_tokens -pc)) (__netscope_tokens -tC))'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope stats link" netns-pid' -l 'netns-pid' -d 'Read the network namespace of process PID.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope stats link" proc-root' -l 'proc-root' -d 'Read /proc files from DIR instead of /proc (a captured tree); default: $NETSCOPE_PROC_ROOT or /proc.' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope stats link" json' -l 'json' -d 'Print one JSON document (field names follow iproute2\'s `-j`).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope stats link" ndjson' -l 'ndjson' -d 'Print newline-delimited JSON: one object per line.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope stats link" no-header' -l 'no-header' -d 'Leave out the table header.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope stats link" color' -l 'color' -d 'Color the table: auto, always or never.' -rfka 'auto always never'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_positional "netscope stats link" -ge 1' -fka '(__netscope_custom_completion ---completion stats link -- positional@0 (count (__netscope_tokens -pc)) (__netscope_tokens -tC))'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope stats link" up' -l 'up' -d 'Only interfaces that are administratively up.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope stats link" interval' -l 'interval' -d 'Show rates over SECS-second intervals instead of totals (0: totals, read once).' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope stats link" count' -l 'count' -d 'With --interval: stop after N intervals (default: until interrupted).' -rfka ''
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope stats link" d details' -s 'd' -l 'details' -d 'Add the error breakdown (like `ip -s -s`).'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope stats link" exact' -l 'exact' -d 'Print exact numbers instead of K/M/G units.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope stats link" version' -l 'version' -d 'Show the version.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope stats link" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'netscope' -n '__netscope_should_offer_completions_for_flags_or_options "netscope help" version' -l 'version' -d 'Show the version.'
