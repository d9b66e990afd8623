#!/bin/bash

__netscope_cursor_index_in_current_word() {
    local remaining="${COMP_LINE}"

    local word
    for word in "${COMP_WORDS[@]::COMP_CWORD}"; do
        remaining="${remaining##*([[:space:]])"${word}"*([[:space:]])}"
    done

    local -ir index="$((COMP_POINT - ${#COMP_LINE} + ${#remaining}))"
    if [[ "${index}" -le 0 ]]; then
        printf 0
    else
        printf %s "${index}"
    fi
}

# positional arguments:
#
# - 1: the current (sub)command's count of positional arguments
#
# required variables:
#
# - repeating_flags: the repeating flags that the current (sub)command can accept
# - non_repeating_flags: the non-repeating flags that the current (sub)command can accept
# - repeating_options: the repeating options that the current (sub)command can accept
# - non_repeating_options: the non-repeating options that the current (sub)command can accept
# - positional_number: value ignored
# - unparsed_words: unparsed words from the current command line
#
# modified variables:
#
# - non_repeating_flags: remove flags for this (sub)command that are already on the command line
# - non_repeating_options: remove options for this (sub)command that are already on the command line
# - positional_number: set to the current positional number
# - unparsed_words: remove all flags, options, and option values for this (sub)command
__netscope_offer_flags_options() {
    local -ir positional_count="${1}"
    positional_number=0

    local was_flag_option_terminator_seen=false
    local is_parsing_option_value=false

    local -ar unparsed_word_indices=("${!unparsed_words[@]}")
    local -i word_index
    for word_index in "${unparsed_word_indices[@]}"; do
        if "${is_parsing_option_value}"; then
            # This word is an option value:
            # Reset marker for next word iff not currently the last word
            [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]] && is_parsing_option_value=false
            unset "unparsed_words[${word_index}]"
            # Do not process this word as a flag or an option
            continue
        fi

        local word="${unparsed_words["${word_index}"]}"
        if ! "${was_flag_option_terminator_seen}"; then
            case "${word}" in
            --)
                unset "unparsed_words[${word_index}]"
                # by itself -- is a flag/option terminator, but if it is the last word, it is the start of a completion
                if [[ "${word_index}" -ne "${unparsed_word_indices[${#unparsed_word_indices[@]} - 1]}" ]]; then
                    was_flag_option_terminator_seen=true
                fi
                continue
                ;;
            -*)
                # ${word} is a flag or an option
                # If ${word} is an option, mark that the next word to be parsed is an option value
                local option
                for option in "${repeating_options[@]}" "${non_repeating_options[@]}"; do
                    [[ "${word}" = "${option}" ]] && is_parsing_option_value=true && break
                done

                # Remove ${word} from ${non_repeating_flags} or ${non_repeating_options} so it isn't offered again
                local not_found=true
                local -i index
                for index in "${!non_repeating_flags[@]}"; do
                    if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                        unset "non_repeating_flags[${index}]"
                        non_repeating_flags=("${non_repeating_flags[@]}")
                        not_found=false
                        break
                    fi
                done
                if "${not_found}"; then
                    for index in "${!non_repeating_flags[@]}"; do
                        if [[ "${non_repeating_flags[${index}]}" = "${word}" ]]; then
                            unset "non_repeating_flags[${index}]"
                            non_repeating_flags=("${non_repeating_flags[@]}")
                            break
                        fi
                    done
                fi
                unset "unparsed_words[${word_index}]"
                continue
                ;;
            esac
        fi

        # ${word} is neither a flag, nor an option, nor an option value
        if [[ "${positional_number}" -lt "${positional_count}" || "${positional_count}" -lt 0 ]]; then
            # ${word} is a positional
            ((positional_number++))
            unset "unparsed_words[${word_index}]"
        else
            if [[ -z "${word}" ]]; then
                # Could be completing a flag, option, or subcommand
                positional_number=-1
            else
                # ${word} is a subcommand or invalid, so stop processing this (sub)command
                positional_number=-2
            fi
            break
        fi
    done

    unparsed_words=("${unparsed_words[@]}")

    if\
        ! "${was_flag_option_terminator_seen}"\
        && ! "${is_parsing_option_value}"\
        && [[ ("${cur}" = -* && "${positional_number}" -ge 0) || "${positional_number}" -eq -1 ]]
    then
        COMPREPLY+=($(compgen -W "${repeating_flags[*]} ${non_repeating_flags[*]} ${repeating_options[*]} ${non_repeating_options[*]}" -- "${cur}"))
    fi
}

__netscope_add_completions() {
    local completion
    while IFS='' read -r completion; do
        COMPREPLY+=("${completion}")
    done < <(IFS=$'\n' compgen "${@}" -- "${cur}")
}

__netscope_custom_complete() {
    if [[ -n "${cur}" || -z ${COMP_WORDS[${COMP_CWORD}]} || "${COMP_LINE:${COMP_POINT}:1}" != ' ' ]]; then
        local -ar words=("${COMP_WORDS[@]}")
    else
        local -ar words=("${COMP_WORDS[@]::${COMP_CWORD}}" '' "${COMP_WORDS[@]:${COMP_CWORD}}")
    fi

    "${COMP_WORDS[0]}" "${@}" "${words[@]}"
}

_netscope() {
    local state
    state="$(shopt -p;shopt -po)"
    trap "${state//$'\n'/;}" RETURN
    shopt -s extglob
    set +o history +o posix

    local -xr SAP_SHELL=bash
    local -x SAP_SHELL_VERSION
    SAP_SHELL_VERSION="$(IFS='.';printf %s "${BASH_VERSINFO[*]}")"
    local -r SAP_SHELL_VERSION

    local -r cur="${2}"
    local -r prev="${3}"

    local -i positional_number
    local -a unparsed_words=("${COMP_WORDS[@]:1:${COMP_CWORD}}")

    local -a repeating_flags=()
    local -a non_repeating_flags=(--version -h --help)
    local -a repeating_options=()
    local -a non_repeating_options=()
    __netscope_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    overview|top|snapshot|diff|metrics|serve|links|addrs|routes|rules|neighbors|qdiscs|classes|drops|path|watch|sockets|counters|stats|namespaces|help)
        # Offer subcommand argument completions
        "_netscope_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'overview top snapshot diff metrics serve links addrs routes rules neighbors qdiscs classes drops path watch sockets counters stats namespaces help' -- "${cur}"))
        ;;
    esac
}

_netscope_overview() {
    repeating_flags=()
    non_repeating_flags=(--json --ndjson --no-header --all-netns --version -h --help)
    repeating_options=()
    non_repeating_options=(--netns --netns-pid --proc-root --color --interval --top)
    __netscope_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--netns')
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion overview -- --netns "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    '--netns-pid')
        return
        ;;
    '--proc-root')
        return
        ;;
    '--color')
        __netscope_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--interval')
        return
        ;;
    '--top')
        return
        ;;
    esac
}

_netscope_top() {
    repeating_flags=()
    non_repeating_flags=(--all-netns --version -h --help)
    repeating_options=()
    non_repeating_options=(--netns --netns-pid --proc-root --color --interval)
    __netscope_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--netns')
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion top -- --netns "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    '--netns-pid')
        return
        ;;
    '--proc-root')
        return
        ;;
    '--color')
        __netscope_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--interval')
        return
        ;;
    esac
}

_netscope_snapshot() {
    repeating_flags=()
    non_repeating_flags=(--json --ndjson --no-header --all-netns --version -h --help)
    repeating_options=()
    non_repeating_options=(--netns --netns-pid --proc-root --color -o --output)
    __netscope_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--netns')
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion snapshot -- --netns "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    '--netns-pid')
        return
        ;;
    '--proc-root')
        return
        ;;
    '--color')
        __netscope_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '-o'|'--output')
        return
        ;;
    esac
}

_netscope_diff() {
    repeating_flags=()
    non_repeating_flags=(--json --ndjson --no-header --exit-code --version -h --help)
    repeating_options=()
    non_repeating_options=(--netns --netns-pid --proc-root --color --sockets)
    __netscope_offer_flags_options 2

    # Offer option value completions
    case "${prev}" in
    '--netns')
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion diff -- --netns "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    '--netns-pid')
        return
        ;;
    '--proc-root')
        return
        ;;
    '--color')
        __netscope_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--sockets')
        __netscope_add_completions -W 'none'$'\n''listening'$'\n''all'
        return
        ;;
    esac
}

_netscope_metrics() {
    repeating_flags=()
    non_repeating_flags=(--all-netns --openmetrics --version -h --help)
    repeating_options=()
    non_repeating_options=(--netns --netns-pid --proc-root --collectors --device-include --device-exclude --protocol-fields --max-ports --tcpinfo-sample --max-netns -o --output)
    __netscope_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--netns')
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion metrics -- --netns "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    '--netns-pid')
        return
        ;;
    '--proc-root')
        return
        ;;
    '--collectors')
        return
        ;;
    '--device-include')
        return
        ;;
    '--device-exclude')
        return
        ;;
    '--protocol-fields')
        return
        ;;
    '--max-ports')
        return
        ;;
    '--tcpinfo-sample')
        return
        ;;
    '--max-netns')
        return
        ;;
    '-o'|'--output')
        return
        ;;
    esac
}

_netscope_serve() {
    repeating_flags=()
    non_repeating_flags=(--all-netns --version -h --help)
    repeating_options=()
    non_repeating_options=(--netns --netns-pid --proc-root --collectors --device-include --device-exclude --protocol-fields --max-ports --tcpinfo-sample --max-netns --listen --max-connections --request-timeout)
    __netscope_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--netns')
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion serve -- --netns "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    '--netns-pid')
        return
        ;;
    '--proc-root')
        return
        ;;
    '--collectors')
        return
        ;;
    '--device-include')
        return
        ;;
    '--device-exclude')
        return
        ;;
    '--protocol-fields')
        return
        ;;
    '--max-ports')
        return
        ;;
    '--tcpinfo-sample')
        return
        ;;
    '--max-netns')
        return
        ;;
    '--listen')
        return
        ;;
    '--max-connections')
        return
        ;;
    '--request-timeout')
        return
        ;;
    esac
}

_netscope_links() {
    repeating_flags=()
    non_repeating_flags=(--json --ndjson --no-header --up --all-netns -d --details --version -h --help)
    repeating_options=()
    non_repeating_options=(--netns --netns-pid --proc-root --color)
    __netscope_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--netns')
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion links -- --netns "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    '--netns-pid')
        return
        ;;
    '--proc-root')
        return
        ;;
    '--color')
        __netscope_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion links -- positional@0 "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_netscope_addrs() {
    repeating_flags=()
    non_repeating_flags=(--json --ndjson --no-header --up --all-netns -4 -6 --version -h --help)
    repeating_options=()
    non_repeating_options=(--netns --netns-pid --proc-root --color)
    __netscope_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--netns')
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion addrs -- --netns "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    '--netns-pid')
        return
        ;;
    '--proc-root')
        return
        ;;
    '--color')
        __netscope_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion addrs -- positional@0 "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_netscope_routes() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __netscope_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    show|get)
        # Offer subcommand argument completions
        "_netscope_routes_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'show get' -- "${cur}"))
        ;;
    esac
}

_netscope_routes_show() {
    repeating_flags=()
    non_repeating_flags=(--json --ndjson --no-header --all-netns -4 -6 --version -h --help)
    repeating_options=()
    non_repeating_options=(--netns --netns-pid --proc-root --color --table)
    __netscope_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--netns')
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion routes show -- --netns "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    '--netns-pid')
        return
        ;;
    '--proc-root')
        return
        ;;
    '--color')
        __netscope_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--table')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion routes show -- positional@0 "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_netscope_routes_get() {
    repeating_flags=()
    non_repeating_flags=(--json --ndjson --no-header --version -h --help)
    repeating_options=()
    non_repeating_options=(--netns --netns-pid --proc-root --color)
    __netscope_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--netns')
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion routes get -- --netns "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    '--netns-pid')
        return
        ;;
    '--proc-root')
        return
        ;;
    '--color')
        __netscope_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    esac
}

_netscope_rules() {
    repeating_flags=()
    non_repeating_flags=(--json --ndjson --no-header --all-netns -4 -6 --version -h --help)
    repeating_options=()
    non_repeating_options=(--netns --netns-pid --proc-root --color)
    __netscope_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--netns')
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion rules -- --netns "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    '--netns-pid')
        return
        ;;
    '--proc-root')
        return
        ;;
    '--color')
        __netscope_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    esac
}

_netscope_neighbors() {
    repeating_flags=()
    non_repeating_flags=(--json --ndjson --no-header --all-netns -4 -6 -a --all --version -h --help)
    repeating_options=()
    non_repeating_options=(--netns --netns-pid --proc-root --color)
    __netscope_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--netns')
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion neighbors -- --netns "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    '--netns-pid')
        return
        ;;
    '--proc-root')
        return
        ;;
    '--color')
        __netscope_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion neighbors -- positional@0 "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_netscope_qdiscs() {
    repeating_flags=()
    non_repeating_flags=(--json --ndjson --no-header --all-netns --version -h --help)
    repeating_options=()
    non_repeating_options=(--netns --netns-pid --proc-root --color)
    __netscope_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--netns')
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion qdiscs -- --netns "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    '--netns-pid')
        return
        ;;
    '--proc-root')
        return
        ;;
    '--color')
        __netscope_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion qdiscs -- positional@0 "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_netscope_classes() {
    repeating_flags=()
    non_repeating_flags=(--json --ndjson --no-header --all-netns --version -h --help)
    repeating_options=()
    non_repeating_options=(--netns --netns-pid --proc-root --color)
    __netscope_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--netns')
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion classes -- --netns "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    '--netns-pid')
        return
        ;;
    '--proc-root')
        return
        ;;
    '--color')
        __netscope_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion classes -- positional@0 "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_netscope_drops() {
    repeating_flags=()
    non_repeating_flags=(--json --ndjson --no-header --all-netns --all -p --processes --stack --version -h --help)
    repeating_options=()
    non_repeating_options=(--netns --netns-pid --proc-root --color --interval --top)
    __netscope_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--netns')
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion drops -- --netns "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    '--netns-pid')
        return
        ;;
    '--proc-root')
        return
        ;;
    '--color')
        __netscope_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--interval')
        return
        ;;
    '--top')
        return
        ;;
    esac
}

_netscope_path() {
    repeating_flags=()
    non_repeating_flags=(--json --ndjson --no-header --resolve --check --version -h --help)
    repeating_options=()
    non_repeating_options=(--netns --netns-pid --proc-root --color --from --iif --oif --vrf --mark --uid --tos --proto --sport --dport)
    __netscope_offer_flags_options 1

    # Offer option value completions
    case "${prev}" in
    '--netns')
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion path -- --netns "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    '--netns-pid')
        return
        ;;
    '--proc-root')
        return
        ;;
    '--color')
        __netscope_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--from')
        return
        ;;
    '--iif')
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion path -- --iif "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    '--oif')
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion path -- --oif "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    '--vrf')
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion path -- --vrf "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    '--mark')
        return
        ;;
    '--uid')
        return
        ;;
    '--tos')
        return
        ;;
    '--proto')
        return
        ;;
    '--sport')
        return
        ;;
    '--dport')
        return
        ;;
    esac
}

_netscope_watch() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __netscope_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    changes|sockets)
        # Offer subcommand argument completions
        "_netscope_watch_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'changes sockets' -- "${cur}"))
        ;;
    esac
}

_netscope_watch_changes() {
    repeating_flags=()
    non_repeating_flags=(--ndjson --initial --version -h --help)
    repeating_options=()
    non_repeating_options=(--netns --netns-pid --proc-root --color)
    __netscope_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--netns')
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion watch changes -- --netns "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    '--netns-pid')
        return
        ;;
    '--proc-root')
        return
        ;;
    '--color')
        __netscope_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __netscope_add_completions -W 'links'$'\n''addrs'$'\n''routes'$'\n''neigh'$'\n''rules'
        return
        ;;
    esac
}

_netscope_watch_sockets() {
    repeating_flags=()
    non_repeating_flags=(-t --tcp -u --udp -4 -6 -l --listening -n --numeric -p --processes -i --info --ndjson --initial --version -h --help)
    repeating_options=()
    non_repeating_options=(--netns --netns-pid --proc-root -N --color --interval --rcvbuf)
    __netscope_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--netns')
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion watch sockets -- --netns "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    '--netns-pid')
        return
        ;;
    '--proc-root')
        return
        ;;
    '-N')
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion watch sockets -- -N "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    '--color')
        __netscope_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--interval')
        return
        ;;
    '--rcvbuf')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion watch sockets -- positional@0 "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_netscope_sockets() {
    repeating_flags=()
    non_repeating_flags=(--json --ndjson --no-header --all-netns -t --tcp -u --udp -w --raw -x --unix -0 --packet --netlink -M --mptcp -S --sctp -4 -6 -a --all -l --listening -n --numeric -H -e --extended -m --memory -i --info -o --options -p --processes -s --summary --version -h --help)
    repeating_options=()
    non_repeating_options=(--netns --netns-pid --proc-root --color -N --sort --source)
    __netscope_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--netns')
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion sockets -- --netns "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    '--netns-pid')
        return
        ;;
    '--proc-root')
        return
        ;;
    '--color')
        __netscope_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '-N')
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion sockets -- -N "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    '--sort')
        __netscope_add_completions -W 'netid'$'\n''state'$'\n''local'$'\n''peer'$'\n''recv-q'$'\n''send-q'$'\n''inode'$'\n''uid'$'\n''rtt'$'\n''bytes-sent'$'\n''bytes-received'$'\n''process'
        return
        ;;
    '--source')
        __netscope_add_completions -W 'auto'$'\n''netlink'$'\n''proc'
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion sockets -- positional@0 "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_netscope_counters() {
    repeating_flags=()
    non_repeating_flags=(--json --ndjson --no-header --up --all-netns -d --details --exact --version -h --help)
    repeating_options=()
    non_repeating_options=(--netns --netns-pid --proc-root --color --interval --count)
    __netscope_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--netns')
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion counters -- --netns "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    '--netns-pid')
        return
        ;;
    '--proc-root')
        return
        ;;
    '--color')
        __netscope_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--interval')
        return
        ;;
    '--count')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion counters -- positional@0 "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_netscope_stats() {
    repeating_flags=()
    non_repeating_flags=(--version -h --help)
    repeating_options=()
    non_repeating_options=()
    __netscope_offer_flags_options 0

    # Offer subcommand / subcommand argument completions
    local -r subcommand="${unparsed_words[0]}"
    unset 'unparsed_words[0]'
    unparsed_words=("${unparsed_words[@]}")
    case "${subcommand}" in
    protocols|link)
        # Offer subcommand argument completions
        "_netscope_stats_${subcommand}"
        ;;
    *)
        # Offer subcommand completions
        COMPREPLY+=($(compgen -W 'protocols link' -- "${cur}"))
        ;;
    esac
}

_netscope_stats_protocols() {
    repeating_flags=()
    non_repeating_flags=(--json --ndjson --no-header --all-netns -z --zeros --softnet --version -h --help)
    repeating_options=()
    non_repeating_options=(--netns --netns-pid --proc-root --color --interval --count)
    __netscope_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--netns')
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion stats protocols -- --netns "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    '--netns-pid')
        return
        ;;
    '--proc-root')
        return
        ;;
    '--color')
        __netscope_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--interval')
        return
        ;;
    '--count')
        return
        ;;
    esac
}

_netscope_stats_link() {
    repeating_flags=()
    non_repeating_flags=(--json --ndjson --no-header --up --all-netns -d --details --exact --version -h --help)
    repeating_options=()
    non_repeating_options=(--netns --netns-pid --proc-root --color --interval --count)
    __netscope_offer_flags_options -1

    # Offer option value completions
    case "${prev}" in
    '--netns')
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion stats link -- --netns "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    '--netns-pid')
        return
        ;;
    '--proc-root')
        return
        ;;
    '--color')
        __netscope_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    '--interval')
        return
        ;;
    '--count')
        return
        ;;
    esac

    # Offer positional completions
    case "${positional_number}" in
    *)
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion stats link -- positional@0 "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    esac
}

_netscope_namespaces() {
    repeating_flags=()
    non_repeating_flags=(--json --ndjson --no-header --no-counts --version -h --help)
    repeating_options=()
    non_repeating_options=(--netns --netns-pid --proc-root --color)
    __netscope_offer_flags_options 0

    # Offer option value completions
    case "${prev}" in
    '--netns')
        __netscope_add_completions -W "$(__netscope_custom_complete ---completion namespaces -- --netns "${COMP_CWORD}" "$(__netscope_cursor_index_in_current_word)")"
        return
        ;;
    '--netns-pid')
        return
        ;;
    '--proc-root')
        return
        ;;
    '--color')
        __netscope_add_completions -W 'auto'$'\n''always'$'\n''never'
        return
        ;;
    esac
}

_netscope_help() {
    repeating_flags=()
    non_repeating_flags=(--version)
    repeating_options=()
    non_repeating_options=()
    __netscope_offer_flags_options -1
}

complete -o filenames -F _netscope netscope
